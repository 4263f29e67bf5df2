/*
 * The examples of libs/monite-auth/README.md, type-checked by `npx tsc -p tsconfig.json --noEmit`
 * and booted against the emulator by token-readme.e2e.spec.ts. Keep the two in step: each block
 * names the README section it comes from. What the README leaves to the reader (the current-user
 * decorator, a DTO, metrics) is filled in here with the smallest stand-in.
 */
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import {
  MoniteAuthModule,
  MoniteClient,
  MoniteExceptionFilter,
  MoniteTokenService,
  type MoniteAuthHooks,
  type MoniteAuthModuleOptions,
  type MoniteEntityUserRef,
} from 'nestjs-monite-auth';

/** Stand-in for the app's own current-user decorator: reads `x-user` / `x-entity` headers. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): MoniteEntityUserRef => {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers;
    return { entityUserId: headers['x-user']!, entityId: headers['x-entity']! };
  },
);
type AppRequest = { user: { entityUserId: string } } & Record<string, unknown>;
type CreatePayableDto = Record<string, unknown>;

// README "forRoot"
export const forRootModule = MoniteAuthModule.forRoot({
  clientId: process.env.MONITE_CLIENT_ID!,
  clientSecret: process.env.MONITE_CLIENT_SECRET!,
  environment: 'sandbox', // or 'eu', 'na'; or apiUrl: 'http://127.0.0.1:4010/v1' for the emulator
  isGlobal: true,
});

// README "forRootAsync with ConfigService"
@Module({
  imports: [
    ConfigModule.forRoot(),
    MoniteAuthModule.forRootAsync({
      isGlobal: true,
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): MoniteAuthModuleOptions => ({
        clientId: config.getOrThrow('MONITE_CLIENT_ID'),
        clientSecret: config.getOrThrow('MONITE_CLIENT_SECRET'),
        apiUrl: config.get('MONITE_API_URL'),
      }),
    }),
  ],
})
export class ConfigServiceAppModule {}

// README "forRootAsync with ConfigService" (registerAs)
export const moniteConfig = registerAs('monite', (): MoniteAuthModuleOptions => ({
  clientId: process.env.MONITE_CLIENT_ID!,
  clientSecret: process.env.MONITE_CLIENT_SECRET!,
  apiUrl: process.env.MONITE_API_URL, // not in the README: points the test at the emulator
}));
export const registerAsModule = MoniteAuthModule.forRootAsync(moniteConfig.asProvider());

// README "Getting tokens"
@Injectable()
export class PaymentsService {
  constructor(private readonly tokens: MoniteTokenService) {}

  async example(entityUserId: string, entityId: string) {
    const partner = await this.tokens.getPartnerToken(); // grant_type=client_credentials
    const user = await this.tokens.getEntityUserToken(entityUserId, { entityId }); // grant_type=entity_user
    // { accessToken, tokenType: 'Bearer', expiresAt: epoch ms }
    return { partner, user };
  }
}

// README "Revoking on logout"
@Controller('session')
export class SessionController {
  constructor(private readonly tokens: MoniteTokenService) {}

  @Post('logout')
  async logout(@Req() request: AppRequest) {
    const { entityUserId } = request.user;
    const token = await this.tokens.getEntityUserToken(entityUserId);
    await this.tokens.revokeToken(token.accessToken, { entityUserId });
  }
}

// README "Invalidating a user or an entity"
@Injectable()
export class TeamService {
  constructor(private readonly tokens: MoniteTokenService) {}

  /** After the user's role changed (in Monite, or in your own ACL with a roleProvider). */
  async roleChanged(entityUserId: string) {
    await this.tokens.invalidateEntityUser(entityUserId);
  }

  async offboard(entityId: string) {
    await this.tokens.invalidateEntity(entityId);
  }
}

// README "Errors as HTTP answers"
@Module({
  providers: [{ provide: APP_FILTER, useClass: MoniteExceptionFilter }],
})
export class ErrorAnswersModule {}

// A MoniteClient controller as the README shows it (test/client/client-readme.examples.ts holds the
// README's own copy), here behind the README's forRootAsync setup and logout.
@Controller('payables')
export class PayablesController {
  constructor(private readonly monite: MoniteClient) {}

  @Get()
  list(@CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.get('/payables', {
      user,
      query: { limit: 20, status: 'new' },
    });
  }

  @Get(':id')
  findOne(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.get('/payables/{id}', { params: { id }, user });
  }

  @Post()
  create(@Body() body: CreatePayableDto, @CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.post('/payables', body, { user });
  }
}

// README "Hooks and logging"
export function readmeHooks(
  metrics: {
    increment(name: string, tags?: Record<string, string>): void;
    timing(name: string, ms: number, tags?: Record<string, string>): void;
  },
  audit: { log(...parts: unknown[]): void },
): MoniteAuthHooks {
  return {
    onTokenFetched: ({ grant, durationMs }) =>
      metrics.timing('monite.token.fetched', durationMs ?? 0, { grant }),
    onTokenRefreshed: ({ grant }) => metrics.increment('monite.token.refreshed', { grant }),
    onTokenFailed: ({ grant, error }) =>
      metrics.increment('monite.token.failed', { grant, type: error.name }),
    onTokenRevoked: ({ entityUserId }) => audit.log('monite token revoked', entityUserId),
    onAccessDecision: ({ allowed, reason, handler }) => {
      if (!allowed) audit.log('monite access denied', reason, handler);
    },
  };
}
