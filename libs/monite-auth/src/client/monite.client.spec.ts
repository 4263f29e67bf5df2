import 'reflect-metadata';
import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import {
  DEMO_CLIENT,
  DEMO_ENTITIES,
  DEMO_PAYABLES,
  DEMO_USERS,
  startMoniteEmulator,
  type MoniteEmulator,
} from 'monite-emulator';
import { MoniteAuthModule } from '../monite-auth.module.js';
import type { MoniteAuthModuleOptions } from '../monite-auth.options.js';
import { MoniteTokenService } from '../tokens/monite-token.service.js';
import { MoniteClient } from './monite.client.js';
import { MoniteHttpException } from '../errors/monite-http-exception.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const LIST_ROUTE = 'GET /v1/payables';
const carol = { entityUserId: DEMO_USERS.carol.id, entityId: DEMO_USERS.carol.entityId };
const alice = { entityUserId: DEMO_USERS.alice.id, entityId: DEMO_USERS.alice.entityId };
const bob = { entityUserId: DEMO_USERS.bob.id, entityId: DEMO_USERS.bob.entityId };

interface Payable {
  id: string;
  was_created_by_user_id: string | null;
}
interface PayableList {
  data: Payable[];
}

/** Every token issued in a test, to check none of them leaks into an error. */
const issuedTokens = new Set<string>();

async function rejection(promise: Promise<unknown>): Promise<MoniteHttpException> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MoniteHttpException);
    const exception = error as MoniteHttpException;
    const rendered = [exception.message, JSON.stringify(exception), inspect(exception, { depth: 10 })].join(
      '\n',
    );
    for (const secret of [DEMO_CLIENT.clientSecret, ...issuedTokens]) expect(rendered).not.toContain(secret);
    return exception;
  }
  throw new Error('expected the call to fail');
}

/** Revokes a token directly at the emulator, as if another system (or Monite) had revoked it. */
async function revokeBehindOurBack(emulator: MoniteEmulator, token: string): Promise<void> {
  const response = await fetch(`${emulator.url}/auth/revoke`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-monite-version': '2024-05-25',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret, token }),
  });
  expect(response.status).toBe(200);
}

describe('MoniteClient against the emulator', () => {
  let emulator: MoniteEmulator;
  let app: INestApplicationContext;
  let client: MoniteClient;
  let tokens: MoniteTokenService;

  async function boot(extra: Partial<MoniteAuthModuleOptions> = {}): Promise<void> {
    await app?.close();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: DEMO_CLIENT.clientId,
          clientSecret: DEMO_CLIENT.clientSecret,
          apiUrl: emulator.url,
          retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000 },
          ...extra,
        }),
      ],
    }).compile();
    app = await moduleRef.init();
    client = app.get(MoniteClient);
    tokens = app.get(MoniteTokenService);
  }

  async function remember<T extends { accessToken: string }>(token: Promise<T>): Promise<T> {
    const value = await token;
    issuedTokens.add(value.accessToken);
    return value;
  }

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
  });
  beforeEach(async () => {
    emulator.reset();
    await boot();
  });
  afterAll(async () => {
    await app?.close();
    await emulator.close();
  });

  describe('tokens and headers per security model', () => {
    it('a partner call uses the partner token and the entity it names', async () => {
      const list = await client.get<PayableList>('/payables', { entityId: DEMO_ENTITIES.acme.id });
      expect(list.data.map((p) => p.id)).toContain(DEMO_PAYABLES.partnerNew.id);
      expect(list.data.map((p) => p.id)).not.toContain(DEMO_PAYABLES.heidiNew.id);
    });

    it('monite-managed: a user call uses the user token, so Monite applies the role (own payables only)', async () => {
      const list = await client.get<PayableList>('/payables', { user: carol });
      expect(list.data.length).toBeGreaterThan(0);
      expect(list.data.every((p) => p.was_created_by_user_id === carol.entityUserId)).toBe(true);
    });

    it('monite-managed: a created object is attributed to the user', async () => {
      const created = await client.post<Payable>(
        '/payables',
        { amount: 100, currency: 'EUR' },
        { user: carol },
      );
      expect(created.was_created_by_user_id).toBe(carol.entityUserId);
    });

    it('partner-managed: a user call uses the partner token scoped to the user entity', async () => {
      await boot({
        securityModel: 'partner-managed',
        roleProvider: () => ({ permissions: { objects: [] } }),
      });
      const list = await client.get<PayableList>('/payables', { user: carol });
      // The partner token sees the whole entity, not just Carol's payables, and no user token is minted.
      expect(list.data.some((p) => p.was_created_by_user_id !== carol.entityUserId)).toBe(true);
      expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    });

    it('hybrid: a user call uses the user token', async () => {
      await boot({ securityModel: 'hybrid', roleProvider: () => ({ permissions: { objects: [] } }) });
      const created = await client.post<Payable>(
        '/payables',
        { amount: 100, currency: 'EUR' },
        { user: carol },
      );
      expect(created.was_created_by_user_id).toBe(carol.entityUserId);
    });

    it('a user call may not name another entity', async () => {
      const error = await rejection(
        client.get('/payables', { user: carol, entityId: DEMO_ENTITIES.globex.id }),
      );
      expect(error.getStatus()).toBe(403);
      expect(emulator.count(LIST_ROUTE)).toBe(0);
    });

    it('refuses paths that would leave the configured base URL', async () => {
      for (const path of [
        'https://evil.example/v1/payables',
        '//evil.example/x',
        '/payables/../auth/token',
        'payables',
      ]) {
        await expect(client.get(path)).rejects.toThrow(/Invalid Monite path/);
      }
      expect(emulator.count()).toBe(0);
    });
  });

  describe('401: evict, refresh once, replay once', () => {
    it('24: a revoked token is evicted, fetched again and the call replayed once', async () => {
      const before = await remember(tokens.getEntityUserToken(carol.entityUserId));
      await revokeBehindOurBack(emulator, before.accessToken);
      const tokenRequests = emulator.count(TOKEN_ROUTE);

      const list = await client.get<PayableList>('/payables', { user: carol });

      expect(list.data.length).toBeGreaterThan(0);
      expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests + 1);
      expect(emulator.count(LIST_ROUTE)).toBe(2);
      const after = await remember(tokens.getEntityUserToken(carol.entityUserId));
      expect(after.accessToken).not.toBe(before.accessToken);
    });

    it('24: a second 401 is surfaced, no loop', async () => {
      await remember(tokens.getEntityUserToken(carol.entityUserId));
      const tokenRequests = emulator.count(TOKEN_ROUTE);
      emulator.fault(LIST_ROUTE, { status: 401 });
      emulator.fault(LIST_ROUTE, { status: 401 });

      const error = await rejection(client.get('/payables', { user: carol }));

      // Our credentials are at fault, not the end user's: a gateway error, not a 401.
      expect(error.getStatus()).toBe(502);
      expect(emulator.count(LIST_ROUTE)).toBe(2);
      expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests + 1);
    });

    it('25: 20 concurrent calls answered 401 together make one refresh', async () => {
      const before = await remember(tokens.getEntityUserToken(bob.entityUserId));
      await revokeBehindOurBack(emulator, before.accessToken);
      const tokenRequests = emulator.count(TOKEN_ROUTE);

      const results = await Promise.all(
        Array.from({ length: 20 }, () => client.get<PayableList>('/payables', { user: bob })),
      );

      expect(results.every((list) => list.data.length > 0)).toBe(true);
      expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests + 1);
    });
  });

  describe('errors: mapped, not refreshed, not retried', () => {
    it('26: a 403 from Monite is a 403 with its message, no refresh, no retry', async () => {
      await client.get('/payables', { user: carol });
      const tokenRequests = emulator.count(TOKEN_ROUTE);

      const error = await rejection(
        client.post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`, {}, { user: carol }),
      );

      expect(error.getStatus()).toBe(403);
      expect(error.getResponse()).toMatchObject({
        message: 'Action approve for payable not allowed',
        moniteStatus: 403,
      });
      expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests);
      expect(emulator.count('POST /v1/payables/:id/approve')).toBe(1);
    });

    it('26: a 409 "Action ... not allowed" is a 403, no refresh, no retry', async () => {
      await client.get('/payables', { user: alice });
      const tokenRequests = emulator.count(TOKEN_ROUTE);
      emulator.fault(LIST_ROUTE, {
        status: 409,
        body: { error: { message: 'Action read for payable not allowed' } },
      });

      const error = await rejection(client.get('/payables', { user: alice }));

      expect(error.getStatus()).toBe(403);
      expect(error.getResponse()).toMatchObject({
        message: 'Action read for payable not allowed',
        moniteStatus: 409,
      });
      expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests);
      expect(emulator.count(LIST_ROUTE)).toBe(2);
    });

    it('another 409 stays a 409', async () => {
      emulator.fault(LIST_ROUTE, { status: 409, body: { error: { message: 'The payable is locked' } } });
      const error = await rejection(client.get('/payables', { entityId: DEMO_ENTITIES.acme.id }));
      expect(error.getStatus()).toBe(409);
    });

    it('404 and 422 carry Monite message', async () => {
      const missing = await rejection(
        client.get('/payables/00000000-0000-4000-8000-00000000ffff', { user: alice }),
      );
      expect(missing.getStatus()).toBe(404);

      const invalid = await rejection(client.post('/payables', { amount: 'lots' }, { user: alice }));
      expect(invalid.getStatus()).toBe(422);
      expect((invalid.getResponse() as { message: string }).message).toMatch(/amount/);
    });

    it('429 on an idempotent call waits Retry-After and retries', async () => {
      emulator.fault(LIST_ROUTE, { status: 429, retryAfter: '1' });
      const started = Date.now();
      const list = await client.get<PayableList>('/payables', { user: alice });
      expect(list.data.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(emulator.count(LIST_ROUTE)).toBe(2);
    });

    it('429 on a POST is not retried: the caller gets 429 and when to retry', async () => {
      emulator.fault('POST /v1/payables', { status: 429, retryAfter: '7' });
      const error = await rejection(
        client.post('/payables', { amount: 1, currency: 'EUR' }, { user: alice }),
      );
      expect(error.getStatus()).toBe(429);
      expect(error.getResponse()).toMatchObject({ retryAfterSeconds: 7 });
      expect(emulator.count('POST /v1/payables')).toBe(1);
    });

    it('5xx, a malformed body and a hang become 503', async () => {
      emulator.fault(LIST_ROUTE, { status: 500 });
      expect((await rejection(client.get('/payables', { user: alice }))).getStatus()).toBe(503);

      emulator.fault(LIST_ROUTE, { malformed: true });
      expect((await rejection(client.get('/payables', { user: alice }))).getStatus()).toBe(503);

      emulator.fault(LIST_ROUTE, { hang: true });
      expect((await rejection(client.get('/payables', { user: alice, timeoutMs: 200 }))).getStatus()).toBe(
        503,
      );
    });

    it('a failure to obtain a token is a 502/503 for our caller, never a 401', async () => {
      await boot({ clientSecret: 'not-the-right-secret' });
      const error = await rejection(client.get('/payables', { user: alice }));
      expect([502, 503]).toContain(error.getStatus());
      expect(JSON.stringify(error)).not.toContain('not-the-right-secret');
    });
  });
});
