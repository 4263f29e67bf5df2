import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { MoniteAuthModule, MonitePermissionGuard, type MoniteAuthModuleOptions } from 'nestjs-monite-auth';
import { AuthController } from './auth/auth.controller.js';
import { SessionTokenService } from './auth/session-token.service.js';
import { parseDemoEnv, type DemoSettings } from './config/demo-env.js';
import { DEMO_SETTINGS, DEMO_SETTINGS_KEY, type DemoAppOptions } from './config/demo-settings.js';
import { HomeController } from './home.controller.js';
import { MeController } from './me/me.controller.js';
import { MONITE_CONNECTION, MoniteConnection } from './monite/monite-connection.js';
import { MoniteRolesRoleProvider } from './monite/monite-roles.role-provider.js';
import { PayablesController } from './payables/payables.controller.js';
import { OwnOrigins } from './security/own-origins.js';
import { SameOriginMiddleware } from './security/same-origin.middleware.js';
import { TrustedHostMiddleware } from './security/trusted-host.middleware.js';

/**
 * Settings, the Monite connection (maybe an in-process emulator), the demo's own origins and
 * sessions, for every module.
 */
function coreModule(options: DemoAppOptions): DynamicModule {
  @Module({})
  class DemoCoreModule {}
  const providers = [
    {
      provide: DEMO_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => config.getOrThrow<DemoSettings>(DEMO_SETTINGS_KEY),
    },
    {
      provide: MONITE_CONNECTION,
      inject: [DEMO_SETTINGS],
      useFactory: (settings: DemoSettings) => MoniteConnection.open(settings, options.emulator),
    },
    OwnOrigins,
    TrustedHostMiddleware,
    SessionTokenService,
    SameOriginMiddleware,
  ];
  return { module: DemoCoreModule, global: true, providers, exports: providers };
}

/** The library's options from the settings, the connection and the demo's sessions. */
function moniteAuthOptions(
  settings: DemoSettings,
  connection: MoniteConnection,
  sessions: SessionTokenService,
): MoniteAuthModuleOptions {
  return {
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    environment: connection.environment,
    apiUrl: connection.apiUrl,
    apiVersion: settings.apiVersion,
    securityModel: settings.securityModel,
    ...(settings.securityModel === 'monite-managed' ? {} : { roleProvider: MoniteRolesRoleProvider }),
    // The demo's identity (a session token) -> the Monite entity user it acts for.
    resolveEntityUser: (context) => {
      if (context.getType() !== 'http') return undefined;
      const session = sessions.fromRequest(context.getArgByIndex(0));
      return session && { entityUserId: session.entityUserId, entityId: session.entityId };
    },
  };
}

/**
 * The demo application: accounts payable on Monite, every route guarded by MonitePermissionGuard;
 * `/auth/login` is throttled. The Host check (DNS rebinding) and the same-origin check (cross-site
 * forgery) run ahead of routing: `createDemoApp` mounts them.
 */
@Module({})
export class AppModule {
  /** Resolves once the configuration is loaded and validated; rejects with a DemoConfigError otherwise. */
  static async forRoot(options: DemoAppOptions = {}): Promise<DynamicModule> {
    const core = coreModule(options);
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      // Tests hand their environment in; `npm start` reads `.env`, then the process environment.
      ignoreEnvFile: options.env !== undefined,
      validatePredefined: options.env === undefined,
      // Validated once at boot; a problem names the variable and fails the start.
      validate: (raw) => ({ [DEMO_SETTINGS_KEY]: parseDemoEnv({ ...raw, ...options.env }) }),
    });
    return {
      module: AppModule,
      imports: [
        config,
        core,
        MoniteAuthModule.forRootAsync({
          imports: [core],
          inject: [DEMO_SETTINGS, MONITE_CONNECTION, SessionTokenService],
          useFactory: moniteAuthOptions,
        }),
      ],
      controllers: [HomeController, AuthController, MeController, PayablesController],
      providers: [MoniteRolesRoleProvider, { provide: APP_GUARD, useClass: MonitePermissionGuard }],
    };
  }
}
