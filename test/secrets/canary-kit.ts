/*
 * What the secret canary (checklist 42) boots, does and searches: one module configuration per
 * case, everything the library can be made to do with it, and every rendering of everything it
 * holds, searched for the canary secret, the keys and every token the emulator issued.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { inspect, type InspectOptions } from 'node:util';
import { HttpService } from '@nestjs/axios';
import { Injectable, type DynamicModule, type LoggerService } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import type { MoniteEmulator } from 'monite-emulator';
import {
  MoniteAuthModule,
  MoniteClient,
  MoniteTokenService,
  MoniteTokenStore,
  RedisTokenStore,
  type MoniteAuthModuleOptions,
  type MoniteSecurityModel,
} from 'nestjs-monite-auth';
import { MONITE_AUTH_CLOCK, VirtualMoniteClock } from 'nestjs-monite-auth/testing';
import type { RedisServer } from '../redis/redis-server.js';
import { binarySecretForms, secretForms } from '../support/leak-ledger.js';
import { CANARY_SECRET, CLIENT_ID } from '../tokens/token-test-kit.js';

export type CanaryProfile = 'monite' | 'oauth2-body' | 'oauth2-basic';
export type CanaryStore = 'memory' | 'redis' | 'redis-key';
export type CanaryRegistration = 'forRoot' | 'forRootAsync(useFactory)' | 'forRootAsync(useClass)';

export interface CanaryConfig {
  model: MoniteSecurityModel;
  profile: CanaryProfile;
  store: CanaryStore;
  registration: CanaryRegistration;
}

/**
 * Every security model x token profile x store; the registration varies too, so that every store
 * and every profile is booted each of the three ways somewhere in the set.
 */
export function canaryConfigs(): CanaryConfig[] {
  const registrations: CanaryRegistration[] = [
    'forRoot',
    'forRootAsync(useFactory)',
    'forRootAsync(useClass)',
  ];
  const models = ['monite-managed', 'partner-managed', 'hybrid'] as const;
  const profiles = ['monite', 'oauth2-body', 'oauth2-basic'] as const;
  const stores = ['memory', 'redis', 'redis-key'] as const;
  return models.flatMap((model, m) =>
    profiles.flatMap((profile, p) =>
      stores.map((store, s) => ({ model, profile, store, registration: registrations[(m + p + s) % 3]! })),
    ),
  );
}

/** The key material the token service derives for sealing a store (HKDF-SHA256, documented). */
export function derivedSealingKey(clientId: string, clientSecret: string): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', clientSecret, clientId, 'nestjs-monite-auth token store sealing v1', 32),
  );
}

/** Every form of every secret a configuration holds: the client secret, its keys, each token. */
export class CanarySecrets {
  readonly values = new Set<string>(secretForms(CLIENT_ID, CANARY_SECRET));
  readonly tokens = new Set<string>();

  constructor() {
    for (const form of binarySecretForms(derivedSealingKey(CLIENT_ID, CANARY_SECRET))) this.values.add(form);
  }

  addKey(key: Uint8Array): void {
    for (const form of binarySecretForms(key)) this.values.add(form);
  }

  addToken(token: string): void {
    this.tokens.add(token);
    this.values.add(token);
  }
}

/** Collects log lines; never given a secret, so nothing it holds is a false alarm. */
export class CanaryLog implements LoggerService {
  readonly lines: string[] = [];
  log(...parts: unknown[]): void {
    this.push('log', parts);
  }
  error(...parts: unknown[]): void {
    this.push('error', parts);
  }
  warn(...parts: unknown[]): void {
    this.push('warn', parts);
  }
  debug(...parts: unknown[]): void {
    this.push('debug', parts);
  }
  verbose(...parts: unknown[]): void {
    this.push('verbose', parts);
  }
  fatal(...parts: unknown[]): void {
    this.push('fatal', parts);
  }
  private push(level: string, parts: unknown[]): void {
    this.lines.push(
      `${level} ${parts.map((part) => (typeof part === 'string' ? part : inspect(part))).join(' ')}`,
    );
  }
}

/**
 * `util.inspect` as revealing as it goes (hidden properties, getters, no custom views), a few levels
 * deep: what lies deeper is rendered object by object by the walk (object-walk.ts).
 */
export const ROOT_INSPECTION: InspectOptions = {
  depth: 3,
  showHidden: true,
  getters: true,
  customInspect: false,
  showProxy: true,
  maxArrayLength: Infinity,
  maxStringLength: Infinity,
  breakLength: Infinity,
};

/**
 * Every way a value is commonly rendered: `util.inspect` (revealing, and as a log line would),
 * `JSON.stringify` (cycles named instead of thrown) and `String()`.
 */
export function renderings(value: unknown, options: InspectOptions = ROOT_INSPECTION): string[] {
  const seen = new WeakSet<object>();
  let json: string;
  try {
    json =
      JSON.stringify(value, (_key, item: unknown) => {
        if (typeof item === 'bigint') return String(item);
        if (typeof item !== 'object' || item === null) return item;
        if (seen.has(item)) return '[seen]';
        seen.add(item);
        return item;
      }) ?? '';
  } catch (error) {
    json = `JSON.stringify threw: ${String((error as Error).message)}`;
  }
  let text: string;
  try {
    text = String(value);
  } catch {
    text = '';
  }
  return [inspect(value, options), inspect(value), json, text];
}

export interface CanaryModule {
  module: TestingModule;
  tokens: MoniteTokenService;
  client: MoniteClient;
  clock: VirtualMoniteClock;
  close(): Promise<void>;
}

const ROLE = {
  permissions: {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' as const }] }],
  },
};

/** Boots MoniteAuthModule in one configuration against the emulator (and Redis), taps issued tokens. */
export async function bootCanary(
  config: CanaryConfig,
  emulator: MoniteEmulator,
  redis: RedisServer,
  secrets: CanarySecrets,
  log: CanaryLog,
  errors: unknown[],
): Promise<CanaryModule> {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  let tokenStore: MoniteAuthModuleOptions['tokenStore'];
  if (config.store !== 'memory') {
    const client = redis.client();
    cleanups.push(() => client.quit().catch(() => undefined));
    const encryptionKey = config.store === 'redis-key' ? randomBytes(32) : undefined;
    if (encryptionKey) secrets.addKey(encryptionKey);
    tokenStore = new RedisTokenStore({
      client,
      keyPrefix: `canary-${randomBytes(6).toString('hex')}:`,
      ...(encryptionKey ? { encryptionKey: encryptionKey.toString('hex') } : {}),
      logger: { warn: (message) => log.warn(message), log: (message) => log.log(message) },
    });
  }
  const options: MoniteAuthModuleOptions = {
    clientId: CLIENT_ID,
    clientSecret: CANARY_SECRET,
    apiUrl: emulator.url,
    securityModel: config.model,
    ...(config.model === 'monite-managed' ? {} : { roleProvider: () => ROLE }),
    ...(config.profile === 'monite'
      ? {}
      : {
          tokenEndpoint: {
            profile: 'oauth2' as const,
            url: emulator.oauth2TokenUrl,
            credentials: config.profile === 'oauth2-basic' ? ('basic' as const) : ('body' as const),
          },
        }),
    tokenStore,
    requestTimeoutMs: 150,
    retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1_000 },
    hooks: {
      onTokenFailed: (event) => errors.push(event.error, event),
      onTokenFetched: (event) => errors.push(event),
      onTokenRevoked: (event) => errors.push(event),
    },
  };
  const clock = new VirtualMoniteClock(1, Date.now());
  const module = await Test.createTestingModule({ imports: [register(config.registration, options)] })
    .overrideProvider(MONITE_AUTH_CLOCK)
    .useValue(clock)
    .setLogger(log)
    .compile();
  module.useLogger(log);
  const axios = module.get(HttpService, { strict: false }).axiosRef;
  const tap = axios.interceptors.response.use((response) => {
    const body = typeof response.data === 'string' ? response.data : '';
    const token = /"access_token"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    if (token) secrets.addToken(token);
    return response;
  });
  cleanups.unshift(() => axios.interceptors.response.eject(tap));
  await module.init();
  return {
    module,
    tokens: module.get(MoniteTokenService),
    client: module.get(MoniteClient),
    clock,
    close: async () => {
      await module.close();
      for (const cleanup of cleanups) await cleanup();
    },
  };
}

function register(registration: CanaryRegistration, options: MoniteAuthModuleOptions): DynamicModule {
  if (registration === 'forRoot') return MoniteAuthModule.forRoot(options);
  if (registration === 'forRootAsync(useFactory)') {
    return MoniteAuthModule.forRootAsync({ useFactory: async () => options });
  }
  @Injectable()
  class CanaryOptions {
    create(): MoniteAuthModuleOptions {
      return options;
    }
  }
  return MoniteAuthModule.forRootAsync({ useClass: CanaryOptions });
}

/**
 * What a booted module holds: the container (every module, provider, instance wrapper and dynamic
 * module definition in it, walked object by object), plus the token store and every provider
 * instance as roots to render whole.
 */
export function heldByModule(canary: CanaryModule): { container: unknown; providers: unknown[] } {
  const container = canary.module.get(ModulesContainer);
  const providers: unknown[] = [canary.module.get(MoniteTokenStore)];
  for (const module of container.values()) {
    for (const wrapper of module.providers.values()) providers.push(wrapper.instance);
  }
  return { container, providers };
}
