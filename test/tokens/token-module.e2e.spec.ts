/*
 * MoniteAuthModule as an application configures it: forRootAsync with @nestjs/config's
 * ConfigService, with `registerAs(...).asProvider()`, with useClass, and global; real Nest apps on
 * Express and Fastify serving tokens over HTTP from the emulator. Nothing is fetched at boot, and
 * a bad option fails the boot naming the option, never the secret.
 */
import { Controller, Get, Inject, Injectable, Module, Param, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs, type ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { MoniteEmulator } from 'monite-emulator';
import {
  MoniteAuthModule,
  MoniteConfigurationError,
  MoniteTokenService,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { inspect } from 'node:util';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { CANARY_SECRET, CLIENT_ID, startEmulator, userId } from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';

@Controller('tokens')
class TokensController {
  constructor(private readonly tokens: MoniteTokenService) {}

  /** Never do this in a real app: tokens are secrets. Here it lets the test see who got what. */
  @Get('partner')
  partner() {
    return this.tokens.getPartnerToken();
  }

  @Get('users/:id')
  user(@Param('id') id: string) {
    return this.tokens.getEntityUserToken(id);
  }
}

/** Environment as the app would read it from process.env, without touching process.env. */
function environment(emulator: MoniteEmulator, overrides: Record<string, string> = {}) {
  return () => ({
    MONITE_CLIENT_ID: CLIENT_ID,
    MONITE_CLIENT_SECRET: CANARY_SECRET,
    MONITE_API_URL: emulator.url,
    ...overrides,
  });
}

function withConfigService(emulator: MoniteEmulator, overrides: Record<string, string> = {}) {
  @Module({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [environment(emulator, overrides)] }),
      MoniteAuthModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService): MoniteAuthModuleOptions => ({
          clientId: config.getOrThrow<string>('MONITE_CLIENT_ID'),
          clientSecret: config.getOrThrow<string>('MONITE_CLIENT_SECRET'),
          apiUrl: config.get<string>('MONITE_API_URL'),
          apiVersion: config.get<string>('MONITE_API_VERSION'),
        }),
      }),
    ],
    controllers: [TokensController],
  })
  class ConfigServiceApp {}
  return ConfigServiceApp;
}

function withRegisterAs(emulator: MoniteEmulator) {
  const moniteConfig = registerAs('monite', (): MoniteAuthModuleOptions => ({
    clientId: CLIENT_ID,
    clientSecret: CANARY_SECRET,
    apiUrl: emulator.url,
    entityUserTokenCacheMax: 500,
  }));
  @Module({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true }),
      MoniteAuthModule.forRootAsync(moniteConfig.asProvider()),
    ],
    controllers: [TokensController],
  })
  class RegisterAsApp {}
  return RegisterAsApp;
}

describe.each(ADAPTERS)('MoniteAuthModule in a Nest app (%s)', (adapter) => {
  let emulator: MoniteEmulator;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    emulator = await startEmulator(3);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('forRootAsync + ConfigService: lazy at boot, then partner and entity-user tokens over HTTP', async () => {
    app = await startApp(adapter, withConfigService(emulator));
    expect(emulator.count()).toBe(0); // nothing requested at boot

    const partner = await request(app.getHttpServer()).get('/tokens/partner').expect(200);
    const user = await request(app.getHttpServer())
      .get(`/tokens/users/${userId(1)}`)
      .expect(200);
    await request(app.getHttpServer()).get('/tokens/partner').expect(200, partner.body);

    expect(partner.body).toMatchObject({ tokenType: 'Bearer', expiresAt: expect.any(Number) });
    expect(user.body.accessToken).not.toBe(partner.body.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    const [, userRequest] = emulator.requests(TOKEN_ROUTE);
    expect(userRequest!.bodyFields).toContain('entity_user_id');
  });

  it('forRootAsync + ConfigService: the API version read from config is sent', async () => {
    app = await startApp(adapter, withConfigService(emulator, { MONITE_API_VERSION: '2025-06-23' }));
    await request(app.getHttpServer()).get('/tokens/partner').expect(200);
    expect(emulator.requests(TOKEN_ROUTE)[0]!.headers['x-monite-version']).toBe('2025-06-23');
  });

  it('forRootAsync(registerAs(...).asProvider()): the namespaced config drops in', async () => {
    app = await startApp(adapter, withRegisterAs(emulator));
    expect(emulator.count()).toBe(0);
    await request(app.getHttpServer())
      .get(`/tokens/users/${userId(2)}`)
      .expect(200);
    await request(app.getHttpServer())
      .get(`/tokens/users/${userId(2)}`)
      .expect(200);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });
});

describe('MoniteAuthModule.forRootAsync variants', () => {
  let emulator: MoniteEmulator;

  beforeAll(async () => {
    emulator = await startEmulator(1);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('useClass: an options factory class', async () => {
    @Injectable()
    class MoniteOptionsFactory {
      create(): MoniteAuthModuleOptions {
        return { clientId: CLIENT_ID, clientSecret: CANARY_SECRET, apiUrl: emulator.url };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MoniteAuthModule.forRootAsync({ useClass: MoniteOptionsFactory })],
    }).compile();
    await moduleRef.init();
    try {
      await expect(moduleRef.get(MoniteTokenService).getPartnerToken()).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    } finally {
      await moduleRef.close();
    }
  });

  it('isGlobal: a feature module injects MoniteTokenService without importing the module', async () => {
    @Injectable()
    class Billing {
      constructor(@Inject(MoniteTokenService) readonly tokens: MoniteTokenService) {}
    }
    @Module({ providers: [Billing], exports: [Billing] })
    class BillingModule {}
    const moniteConfig = registerAs('monite', () => ({
      clientId: CLIENT_ID,
      clientSecret: CANARY_SECRET,
      apiUrl: emulator.url,
    }));
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forFeature(moniteConfig),
        MoniteAuthModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule.forFeature(moniteConfig)],
          inject: [moniteConfig.KEY],
          useFactory: (config: ConfigType<typeof moniteConfig>) => config,
        }),
        BillingModule,
      ],
    }).compile();
    await moduleRef.init();
    try {
      await expect(moduleRef.get(Billing).tokens.getPartnerToken()).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    } finally {
      await moduleRef.close();
    }
  });
});

describe('bad options fail the boot, naming the option and never the secret', () => {
  const good = { clientId: CLIENT_ID, clientSecret: CANARY_SECRET, apiUrl: 'http://127.0.0.1:9/v1' };

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing clientId', { clientId: undefined }, 'clientId'],
    ['a missing clientSecret', { clientSecret: undefined }, 'clientSecret'],
    ['an empty clientSecret', { clientSecret: '' }, 'clientSecret'],
    ['an apiUrl over plain http that is not loopback', { apiUrl: 'http://monite.example.com/v1' }, 'apiUrl'],
    ['a malformed apiVersion', { apiVersion: '25-05-2024' }, 'apiVersion'],
    ['the secret pasted into apiVersion', { apiVersion: CANARY_SECRET }, 'apiVersion'],
    ['the secret pasted into apiUrl', { apiUrl: CANARY_SECRET }, 'apiUrl'],
    ['a negative tokenRefreshSkewMs', { tokenRefreshSkewMs: -1 }, 'tokenRefreshSkewMs'],
    ['a negative roleCacheTtlMs', { roleCacheTtlMs: -5 }, 'roleCacheTtlMs'],
    ['a zero entityUserTokenCacheMax', { entityUserTokenCacheMax: 0 }, 'entityUserTokenCacheMax'],
    ['an unknown option', { clientSecrt: CANARY_SECRET }, 'clientSecrt'],
  ])('%s', async (_name, overrides, option) => {
    const moduleRef = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ monite: { ...good, ...overrides } })] }),
        MoniteAuthModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<MoniteAuthModuleOptions>('monite'),
        }),
      ],
    });

    let failure: unknown;
    try {
      const compiled = await moduleRef.compile();
      await compiled.close();
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(MoniteConfigurationError);
    const error = failure as MoniteConfigurationError;
    expect(error.message).toContain(`option "${option}"`);
    for (const rendered of [error.message, JSON.stringify(error), inspect(error), String(error.stack)]) {
      expect(rendered).not.toContain(CANARY_SECRET);
      expect(rendered).not.toContain(encodeURIComponent(CANARY_SECRET));
    }
  });
});
