import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MonitePublic } from 'nestjs-monite-auth';
import type { DemoSettings } from './config/demo-env.js';
import { DEMO_SETTINGS } from './config/demo-settings.js';
import { MONITE_CONNECTION, type MoniteConnection } from './monite/monite-connection.js';

/** `GET /`: what this is and where to start. Public: it shows no Monite data. */
@ApiTags('demo')
@Controller()
export class HomeController {
  constructor(
    @Inject(MONITE_CONNECTION) private readonly connection: MoniteConnection,
    @Inject(DEMO_SETTINGS) private readonly settings: DemoSettings,
  ) {}

  @Get()
  @MonitePublic()
  @ApiOperation({ summary: 'About this demo' })
  about() {
    return {
      name: 'nestjs-monite-auth demo: accounts payable on Monite',
      docs: '/docs',
      login: this.loginHint(),
      monite: this.connection.usesDemoSeed ? 'local emulator (demo seed)' : 'Monite',
      securityModel: this.settings.securityModel,
      demoUsers: this.connection.demoSeed?.users ?? [],
    };
  }

  private loginHint(): string {
    if (this.connection.usesDemoSeed) return 'POST /auth/login {"user": "<demo user>"}';
    if (this.settings.allowIdLogin)
      return 'POST /auth/login {"entityUserId": "<uuid>", "entityId": "<uuid>"}';
    return 'off with real Monite credentials (set DEMO_ALLOW_ID_LOGIN=true to log in by entity user id; unsafe)';
  }
}
