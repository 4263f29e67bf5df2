/* A small Nest app that serves Monite tokens over HTTP, for the Redis token store specs. */
import { Body, Controller, Get, HttpCode, Module, Param, Post, type Type } from '@nestjs/common';
import type { MoniteEmulator } from 'monite-emulator';
import { MoniteAuthModule, MoniteTokenService, type MoniteTokenStore } from 'nestjs-monite-auth';
import { CANARY_SECRET, CLIENT_ID } from '../tokens/token-test-kit.js';

@Controller('token')
export class TokenController {
  constructor(private readonly tokens: MoniteTokenService) {}

  @Get('partner')
  partner() {
    return this.tokens.getPartnerToken();
  }

  @Get('user/:id')
  user(@Param('id') id: string) {
    return this.tokens.getEntityUserToken(id);
  }

  @Post('revoke')
  @HttpCode(204)
  async revoke(@Body('token') token: string): Promise<void> {
    await this.tokens.revokeToken(token);
  }
}

/** A root module with MoniteAuthModule on the emulator and the given store. */
export function tokenAppModule(emulator: MoniteEmulator, tokenStore: MoniteTokenStore): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: CLIENT_ID,
        clientSecret: CANARY_SECRET,
        apiUrl: emulator.url,
        tokenStore,
      }),
    ],
    controllers: [TokenController],
  })
  class TokenAppModule {}
  return TokenAppModule;
}
