/*
 * Shared helpers of the token e2e specs (test/token-*.spec.ts): a Monite emulator seeded with a
 * canary secret, a virtual clock, a Nest testing module per case, and a ledger of every log line,
 * hook event and thrown error, which each spec checks for leaked secrets (checklist 31).
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { HttpService } from '@nestjs/axios';
import { Logger, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { startMoniteEmulator, type MoniteEmulator, type MoniteEmulatorOptions } from 'monite-emulator';
import {
  MoniteAuthModule,
  MoniteTokenService,
  MoniteTokenStore,
  type MoniteAuthHooks,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { MONITE_AUTH_CLOCK, type MoniteClock } from '../libs/monite-auth/src/tokens/monite-clock.js';
import { basicCredentials, formUrlEncode } from '../libs/monite-auth/src/tokens/oauth2-form-encoding.js';

/** A client secret found nowhere else: any sighting of it in output is a leak. Holds `+ / : = % ~`. */
export const CANARY_SECRET = `canary-${randomUUID()}+/:=%~ x`;
export const CLIENT_ID = randomUUID();
export const ENTITY_ID = '00000000-0000-4000-8000-000000009001';
const ROLE_ID = '00000000-0000-4000-8000-000000009002';

/** The n-th seeded entity user's id (1-based). */
export function userId(n: number): string {
  return `00000000-0000-4000-a000-${n.toString().padStart(12, '0')}`;
}

/** Starts an emulator knowing the canary client and `users` entity users. */
export async function startEmulator(
  users = 20,
  options: Omit<MoniteEmulatorOptions, 'seed' | 'port'> = {},
): Promise<MoniteEmulator> {
  return startMoniteEmulator({
    ...options,
    port: 0,
    seed: {
      clients: [{ clientId: CLIENT_ID, clientSecret: CANARY_SECRET }],
      entities: [{ id: ENTITY_ID, name: 'Canary GmbH' }],
      roles: [{ id: ROLE_ID, entityId: ENTITY_ID, name: 'reader', permissions: { objects: [] } }],
      entityUsers: Array.from({ length: users }, (_, i) => ({
        id: userId(i + 1),
        entityId: ENTITY_ID,
        roleId: ROLE_ID,
        name: `User ${i + 1}`,
      })),
    },
  });
}

/**
 * A clock under the test's control. Wall and monotonic time start frozen (`rate` 0) and move on
 * `advance`; with `rate` > 0 they also run at `rate` virtual ms per real ms. `sleep` records the
 * delay and advances time at once instead of waiting. `jumpWall` moves only the wall clock.
 */
export class VirtualClock implements MoniteClock {
  /** Every delay the library slept, in order. */
  readonly sleeps: number[] = [];
  private offset = 0;
  private wallJump = 0;
  private readonly realStart = performance.now();

  constructor(
    private readonly rate = 0,
    private readonly wallStart = Date.UTC(2030, 0, 1),
  ) {}

  now(): number {
    return this.wallStart + this.elapsed() + this.wallJump;
  }

  monotonic(): number {
    return 1_000_000 + this.elapsed();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.offset += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  jumpWall(ms: number): void {
    this.wallJump += ms;
  }

  private elapsed(): number {
    return this.offset + (this.rate === 0 ? 0 : (performance.now() - this.realStart) * this.rate);
  }
}

/** Everything the library said or threw during a spec file, and every secret it handled. */
export class LeakLedger implements LoggerService {
  readonly logs: string[] = [];
  readonly events: string[] = [];
  readonly errors: string[] = [];
  /** Secrets seen on the wire (tokens, Authorization values) plus the canary in all its encodings. */
  readonly secrets = new Set<string>([
    CANARY_SECRET,
    encodeURIComponent(CANARY_SECRET),
    formUrlEncode(CANARY_SECRET),
    basicCredentials(CLIENT_ID, CANARY_SECRET),
    Buffer.from(`${CLIENT_ID}:${CANARY_SECRET}`).toString('base64'),
  ]);
  readonly tokens = new Set<string>();

  log(message: unknown, ...rest: unknown[]): void {
    this.line('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.line('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.line('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.line('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.line('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.line('fatal', message, rest);
  }

  /** Lines logged with context `MoniteAuth` at `level`. */
  lines(level?: string): string[] {
    return this.logs.filter(
      (line) => line.includes('[MoniteAuth]') && (!level || line.startsWith(`${level} `)),
    );
  }

  /** Records an error in every form a user could log it. */
  recordError(error: unknown): void {
    this.errors.push(
      String((error as Error)?.message),
      JSON.stringify(error),
      inspect(error),
      inspect(error, { showHidden: true, depth: 10 }),
      String((error as Error)?.stack),
    );
  }

  /** Hooks that record every event (and the error inside failure events). */
  hooks(): MoniteAuthHooks {
    const record = (name: string) => (event: unknown) => {
      this.events.push(`${name} ${JSON.stringify(event)} ${inspect(event, { depth: 10 })}`);
    };
    return {
      onTokenFetched: record('onTokenFetched'),
      onTokenRefreshed: record('onTokenRefreshed'),
      onTokenFailed: record('onTokenFailed'),
      onTokenRevoked: record('onTokenRevoked'),
    };
  }

  /** Adds a token (and its Authorization forms) to the secrets to look for. */
  addToken(token: string): void {
    this.tokens.add(token);
    this.secrets.add(token);
    this.secrets.add(`Bearer ${token}`);
  }

  /**
   * Strings of the output that contain a secret, with the secret's length (never the secret).
   * Secrets are grouped by length and every window of the output is looked up in a set, so ten
   * thousand tokens against ten thousand lines stays linear.
   */
  leaks(): string[] {
    const byLength = new Map<number, Set<string>>();
    for (const secret of this.secrets) {
      const group = byLength.get(secret.length) ?? new Set<string>();
      group.add(secret);
      byLength.set(secret.length, group);
    }
    const found: string[] = [];
    for (const text of [...this.logs, ...this.events, ...this.errors]) {
      for (const [length, group] of byLength) {
        for (let at = 0; at + length <= text.length; at++) {
          if (group.has(text.slice(at, at + length))) {
            found.push(`a secret of length ${length} in: ${text.slice(0, 80)}`);
            break;
          }
        }
      }
    }
    return found;
  }

  private line(level: string, message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : '';
    this.logs.push(
      `${level} [${context}] ${typeof message === 'string' ? message : inspect(message)} ${inspect(rest)}`,
    );
  }
}

/** Awaits a promise expected to reject; records the error in the ledger and returns it. */
export async function rejection(promise: Promise<unknown>, ledger: LeakLedger): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    ledger.recordError(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

export interface TokenHarness {
  module: TestingModule;
  tokens: MoniteTokenService;
  store: MoniteTokenStore;
  clock: VirtualClock;
  /** Observes raw request bodies (with the Authorization header) and raw response bodies. */
  tap(
    onRequest: (body: string, authorization: string | undefined) => void,
    onResponse: (body: string) => void,
  ): void;
  close(): Promise<void>;
}

/**
 * Boots MoniteAuthModule.forRoot against the emulator with the canary credentials, the ledger's
 * hooks and logger, and a virtual clock; taps the module's own axios instance to learn every token
 * and Authorization value that crosses the wire.
 */
export async function bootTokens(
  emulator: MoniteEmulator,
  ledger: LeakLedger,
  options: Partial<MoniteAuthModuleOptions> = {},
  clock = new VirtualClock(),
): Promise<TokenHarness> {
  const module = await Test.createTestingModule({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: CLIENT_ID,
        clientSecret: CANARY_SECRET,
        apiUrl: emulator.url,
        hooks: ledger.hooks(),
        retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
        ...options,
      }),
    ],
  })
    .overrideProvider(MONITE_AUTH_CLOCK)
    .useValue(clock)
    .setLogger(ledger)
    .compile();
  Logger.overrideLogger(ledger);
  const cleanups = [tapWire(module, ledger)];
  await module.init();
  return {
    module,
    tokens: module.get(MoniteTokenService),
    store: module.get<MoniteTokenStore>(MoniteTokenStore),
    clock,
    tap: (onRequest, onResponse) => cleanups.push(tap(module, onRequest, onResponse)),
    close: async () => {
      cleanups.forEach((cleanup) => cleanup());
      await module.close();
    },
  };
}

/**
 * Observes the module's axios instance (shared by every MoniteAuthModule in the process, hence
 * the cleanup). Observers never throw into the request.
 */
function tap(
  module: TestingModule,
  onRequest: (body: string, authorization: string | undefined) => void,
  onResponse: (body: string) => void,
): () => void {
  const axios = module.get(HttpService, { strict: false }).axiosRef;
  const request = axios.interceptors.request.use((config) => {
    const authorization = config.headers?.get?.('authorization');
    try {
      onRequest(String(config.data), typeof authorization === 'string' ? authorization : undefined);
    } catch {
      // observation only
    }
    return config;
  });
  const response = axios.interceptors.response.use((result) => {
    try {
      onResponse(String(result.data));
    } catch {
      // observation only
    }
    return result;
  });
  return () => {
    axios.interceptors.request.eject(request);
    axios.interceptors.response.eject(response);
  };
}

function tapWire(module: TestingModule, ledger: LeakLedger): () => void {
  return tap(
    module,
    (_body, authorization) => {
      if (authorization !== undefined) {
        ledger.secrets.add(authorization);
        ledger.secrets.add(authorization.replace(/^\S+\s+/, ''));
      }
    },
    (body) => {
      const parsed = JSON.parse(body) as { access_token?: unknown };
      if (typeof parsed.access_token === 'string' && parsed.access_token.length > 0)
        ledger.addToken(parsed.access_token);
    },
  );
}

/** Lets pending I/O callbacks and promise jobs run. */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds (for work the library does in the background); fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in time');
    await settle(5);
  }
}

/** Calls Monite's `GET /entity_users/me` on the emulator with a token: who the token belongs to. */
export async function whoAmI(
  emulator: MoniteEmulator,
  accessToken: string,
): Promise<{ status: number; id?: string }> {
  const response = await fetch(`${emulator.url}/entity_users/me`, {
    headers: { authorization: `Bearer ${accessToken}`, 'x-monite-version': '2024-05-25' },
  });
  const body = (await response.json()) as { id?: string };
  return { status: response.status, id: body.id };
}
