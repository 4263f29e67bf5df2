/*
 * Shared helpers of the token e2e specs (test/tokens/*.spec.ts): a Monite emulator seeded with a
 * canary secret, a Nest testing module per case on a virtual clock, and a leak ledger holding the
 * canary in every encoding, which each spec checks for leaked secrets (checklist 31).
 */
import { randomUUID } from 'node:crypto';
import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { startMoniteEmulator, type MoniteEmulator, type MoniteEmulatorOptions } from 'monite-emulator';
import {
  MoniteAuthModule,
  MoniteTokenService,
  MoniteTokenStore,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { MONITE_AUTH_CLOCK, VirtualMoniteClock, type MoniteClock } from 'nestjs-monite-auth/testing';
import { LeakLedger, secretForms } from '../support/leak-ledger.js';

/** A client secret found nowhere else: any sighting of it in output is a leak. Holds `+ / : = % ~`. */
export const CANARY_SECRET = `canary-${randomUUID()}+/:=%~ x`;
export const CLIENT_ID = randomUUID();
export const ENTITY_ID = '00000000-0000-4000-8000-000000009001';
const ROLE_ID = '00000000-0000-4000-8000-000000009002';

/** The n-th seeded entity user's id (1-based). */
export function userId(n: number): string {
  return `00000000-0000-4000-a000-${n.toString().padStart(12, '0')}`;
}

/** A ledger that already looks for the canary secret in every form it takes on the wire. */
export function canaryLedger(): LeakLedger {
  return new LeakLedger(secretForms(CLIENT_ID, CANARY_SECRET));
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

export interface TokenHarness<Clock extends MoniteClock = VirtualMoniteClock> {
  module: TestingModule;
  tokens: MoniteTokenService;
  store: MoniteTokenStore;
  clock: Clock;
  /** Observes raw request bodies (with the Authorization header) and raw response bodies. */
  tap(
    onRequest: (body: string, authorization: string | undefined) => void,
    onResponse: (body: string) => void,
  ): void;
  close(): Promise<void>;
}

/**
 * Boots MoniteAuthModule.forRoot against the emulator with the canary credentials, the ledger's
 * hooks and logger, and a virtual clock (or the one given); taps the module's own axios instance to learn every token
 * and Authorization value that crosses the wire.
 */
export async function bootTokens<Clock extends MoniteClock = VirtualMoniteClock>(
  emulator: MoniteEmulator,
  ledger: LeakLedger,
  options: Partial<MoniteAuthModuleOptions> = {},
  clock: Clock = new VirtualMoniteClock() as MoniteClock as Clock,
): Promise<TokenHarness<Clock>> {
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
