import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  Inject,
  Logger,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { MoniteClient, MonitePublic, MoniteTokenService } from 'nestjs-monite-auth';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import { MONITE_CONNECTION, type MoniteConnection } from '../monite/monite-connection.js';
import { LoginThrottleGuard } from '../security/login-throttle.guard.js';
import { findDemoUser } from './demo-directory.js';
import { loginBody, type LoginBody } from './login.schema.js';
import { SessionTokenService } from './session-token.service.js';

/** The part of Express' `res` and Fastify's `reply` used here (both have `header`). */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

/**
 * Sign-in and sign-out. Both are `@MonitePublic()`: they need no Monite permission (the global
 * guard would otherwise refuse a route without one).
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('AuthController');

  constructor(
    private readonly sessions: SessionTokenService,
    private readonly tokens: MoniteTokenService,
    private readonly monite: MoniteClient,
    @Inject(MONITE_CONNECTION) private readonly connection: MoniteConnection,
    @Inject(DEMO_SETTINGS) private readonly settings: DemoSettings,
  ) {}

  @Post('login')
  @HttpCode(200)
  @MonitePublic()
  @UseGuards(LoginThrottleGuard)
  @ApiOperation({
    summary: 'Start a session',
    description:
      'Demo sign-in without a password: `{"user": "carol"}` for a user of the emulator demo seed, or ' +
      '`{"entityUserId", "entityId"}` for any Monite entity user (checked with Monite; on the emulator, or ' +
      'with real credentials only when `DEMO_ALLOW_ID_LOGIN=true`). Answers a Bearer token and sets the ' +
      'same token as the `demo_session` cookie. A real app authenticates its users here.',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many tries from this address: wait `Retry-After` seconds' })
  @ApiBody({ schema: z.toJSONSchema(loginBody, { target: 'openapi-3.0', io: 'input' }) as object })
  async login(
    @Body(new ZodValidationPipe(loginBody, 'body')) body: LoginBody,
    @Res({ passthrough: true }) response: HeaderSetter,
  ) {
    const user = await this.findUser(body);
    const { token, session } = this.sessions.issue(user);
    response.header('set-cookie', this.sessions.cookieFor(token));
    return {
      token,
      tokenType: 'Bearer',
      expiresAt: new Date(session.expiresAt * 1000).toISOString(),
      user: { login: user.login, entityUserId: user.entityUserId, entityId: user.entityId },
    };
  }

  @Post('logout')
  @HttpCode(200)
  @MonitePublic()
  @ApiOperation({
    summary: 'End the session and revoke your Monite token',
    description:
      'Ends this session and revokes the Monite access token the demo holds for you ' +
      '(`MoniteTokenService.revokeToken`), so it is refused by Monite from now on.',
  })
  async logout(@Req() request: object, @Res({ passthrough: true }) response: HeaderSetter) {
    const session = this.sessions.fromRequest(request);
    if (session === undefined) throw new UnauthorizedException('Not logged in');
    this.sessions.end(session);
    response.header('set-cookie', this.sessions.clearedCookie());
    return { loggedOut: true, moniteTokenRevoked: await this.revokeMoniteToken(session.entityUserId) };
  }

  /** The user to log in: a demo user by name, or an entity user Monite confirms exists. */
  private async findUser(
    body: LoginBody,
  ): Promise<{ entityUserId: string; entityId: string; login?: string }> {
    if (!this.connection.usesDemoSeed && !this.settings.allowIdLogin) {
      // No password here: with real credentials, an id alone would let anyone act as anyone.
      throw new ForbiddenException(
        'Login is off with real Monite credentials: this demo has no passwords, so logging in by entity ' +
          'user id would let anyone act as any entity user of your account. A real app authenticates its own ' +
          'users, then maps each to a Monite entity user. To try the demo on a sandbox anyway, set ' +
          'DEMO_ALLOW_ID_LOGIN=true (unsafe)',
      );
    }
    if (body.user !== undefined) {
      if (this.connection.demoSeed === undefined) {
        throw new BadRequestException(
          'Demo user names exist only when the demo runs on the local emulator: log in with entityUserId and entityId',
        );
      }
      const user = findDemoUser(this.connection.demoSeed, body.user);
      if (user === undefined) throw new UnauthorizedException('Unknown demo user');
      return user;
    }
    const entityUserId = body.entityUserId as string;
    const entityId = body.entityId as string;
    try {
      // With the partner token: does this entity user exist in this entity?
      await this.monite.get('/entity_users/{id}', {
        params: { id: entityUserId },
        entityId,
        asPartner: true,
      });
    } catch (error) {
      if (error instanceof HttpException && [403, 404, 409, 422].includes(error.getStatus())) {
        throw new UnauthorizedException('Unknown entity user');
      }
      throw error;
    }
    return { entityUserId, entityId };
  }

  /**
   * Revokes the user's Monite token. The partner-managed model calls Monite with the partner token,
   * shared by every user: that one is not revoked on a user's logout.
   */
  private async revokeMoniteToken(entityUserId: string): Promise<boolean> {
    if (this.settings.securityModel === 'partner-managed') return false;
    try {
      const token = await this.tokens.getEntityUserToken(entityUserId);
      await this.tokens.revokeToken(token.accessToken);
      return true;
    } catch (error) {
      // The token is evicted locally whatever Monite answered; the session has ended either way.
      this.logger.warn(`Could not revoke the Monite token of ${entityUserId}: ${(error as Error).name}`);
      return false;
    }
  }
}
