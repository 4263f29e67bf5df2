import 'reflect-metadata';
import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import {
  DEMO_CLIENT,
  DEMO_ENTITIES,
  DEMO_PAYABLES,
  DEMO_ROLES,
  DEMO_SEED,
  DEMO_USERS,
  startMoniteEmulator,
  type MoniteEmulator,
} from 'monite-emulator';
import { MoniteAuthModule } from '../monite-auth.module.js';
import type { MoniteAuthModuleOptions } from '../monite-auth.options.js';
import { moniteAsPartner } from '../monite-identity.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { MONITE_AUTH_CLOCK } from '../tokens/monite-clock.js';
import { MoniteTokenService } from '../tokens/monite-token.service.js';
import { MoniteClient } from './monite.client.js';
import { MoniteHttpException } from '../errors/monite-http-exception.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const LIST_ROUTE = 'GET /v1/payables';
const ONE_ROUTE = 'GET /v1/payables/:id';
const carol = { entityUserId: DEMO_USERS.carol.id, entityId: DEMO_USERS.carol.entityId };
const alice = { entityUserId: DEMO_USERS.alice.id, entityId: DEMO_USERS.alice.entityId };
const bob = { entityUserId: DEMO_USERS.bob.id, entityId: DEMO_USERS.bob.entityId };

/** The demo ids are all digits; these have letters, so their case can differ. */
const CASED_ENTITY = { id: 'bead0000-0000-4000-8000-00000000cafe', name: 'Cased Ltd' };
const CASED_ROLE = {
  ...DEMO_ROLES.apClerk,
  id: 'bead0000-0000-4000-8000-0000000000aa',
  entityId: CASED_ENTITY.id,
};
const casey = { entityUserId: 'bead0000-0000-4000-8000-00000000beef', entityId: CASED_ENTITY.id };
const SEED = {
  ...DEMO_SEED,
  entities: [...DEMO_SEED.entities, CASED_ENTITY],
  roles: [...DEMO_SEED.roles, CASED_ROLE],
  entityUsers: [
    ...DEMO_SEED.entityUsers,
    { id: casey.entityUserId, entityId: casey.entityId, roleId: CASED_ROLE.id, name: 'Casey Cased' },
  ],
};

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
    const { moniteError } = exception;
    const rendered = [
      exception.message,
      JSON.stringify(exception),
      JSON.stringify(exception.getResponse()),
      inspect(exception, { depth: Infinity, showHidden: true }),
      String(moniteError.moniteMessage),
      String(moniteError.code),
      moniteError.message,
    ].join('\n');
    for (const secret of [DEMO_CLIENT.clientSecret, ...issuedTokens]) expect(rendered).not.toContain(secret);
    return exception;
  }
  throw new Error('expected the call to fail');
}

/** Awaits a token and remembers it, to check it never leaks into an error. */
async function remember<T extends { accessToken: string }>(token: Promise<T>): Promise<T> {
  const value = await token;
  issuedTokens.add(value.accessToken);
  return value;
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

  async function boot(
    extra: Partial<MoniteAuthModuleOptions> = {},
    clock?: VirtualMoniteClock,
  ): Promise<void> {
    await app?.close();
    const builder = Test.createTestingModule({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: DEMO_CLIENT.clientId,
          clientSecret: DEMO_CLIENT.clientSecret,
          apiUrl: emulator.url,
          retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000 },
          ...extra,
        }),
      ],
    });
    if (clock) builder.overrideProvider(MONITE_AUTH_CLOCK).useValue(clock);
    app = await (await builder.compile()).init();
    client = app.get(MoniteClient);
    tokens = app.get(MoniteTokenService);
  }

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0, seed: SEED });
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
      const list = await client.get<PayableList>('/payables', {
        entityId: DEMO_ENTITIES.acme.id,
        asPartner: true,
      });
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
  });

  describe('the caller: an entity user or, said explicitly, the partner', () => {
    it('monite-managed: MoniteClient refuses a call without a user before any request, unless it says asPartner: true', async () => {
      await expect(client.get('/payables', { entityId: DEMO_ENTITIES.acme.id })).rejects.toThrow(TypeError);
      await expect(client.get('/payables')).rejects.toThrow(/asPartner/);
      expect(emulator.count()).toBe(0);

      const list = await client.get<PayableList>('/payables', {
        entityId: DEMO_ENTITIES.acme.id,
        asPartner: true,
      });
      expect(list.data.map((p) => p.id)).toContain(DEMO_PAYABLES.partnerNew.id);
    });

    it('moniteAsPartner(entityId) is the partner token on that entity, in every model', async () => {
      for (const securityModel of ['monite-managed', 'partner-managed', 'hybrid'] as const) {
        const roleProvider =
          securityModel === 'monite-managed' ? undefined : () => ({ permissions: { objects: [] } });
        await boot({ securityModel, roleProvider });
        emulator.reset();
        const list = await client.get<PayableList>('/payables', {
          user: moniteAsPartner(DEMO_ENTITIES.acme.id),
        });
        expect(list.data.some((p) => p.was_created_by_user_id !== carol.entityUserId)).toBe(true);
        const [request] = emulator.requests(LIST_ROUTE);
        expect(request?.headers['x-monite-entity-id']).toBe(DEMO_ENTITIES.acme.id);
        // Only the partner token was asked for.
        expect(emulator.requests(TOKEN_ROUTE).every((r) => !r.bodyFields.includes('entity_user_id'))).toBe(
          true,
        );
      }
    });

    it('44: an id in upper case is the same user and entity: one token, and the header in one spelling', async () => {
      const upper = {
        entityUserId: casey.entityUserId.toUpperCase(),
        entityId: casey.entityId.toUpperCase(),
      };
      await client.get('/payables', { user: casey });
      await client.get('/payables', { user: upper, entityId: casey.entityId });
      await client.get('/payables', { user: casey, entityId: casey.entityId.toUpperCase() });
      await client.get('/payables', { user: moniteAsPartner(upper.entityId), entityId: casey.entityId });
      expect(emulator.count(TOKEN_ROUTE)).toBe(2);
      const headers = emulator.requests(LIST_ROUTE).map((r) => r.headers['x-monite-entity-id']);
      expect(headers).toEqual([casey.entityId, casey.entityId, casey.entityId, casey.entityId]);
    });

    it('a user id or entity id that is not a UUID is refused before any request, never quoted', async () => {
      for (const options of [
        { user: { entityUserId: '../roles', entityId: carol.entityId } },
        { user: { entityUserId: carol.entityUserId, entityId: 'acme' } },
        { user: carol, entityId: 'acme' },
        { asPartner: true, entityId: `${DEMO_ENTITIES.acme.id}\r\nx-injected: 1` },
      ]) {
        const error = await rejection(client.get('/payables', options));
        expect(error.moniteError.name).toBe('MoniteValidationError');
        expect(error.message).not.toMatch(/roles|acme|injected/);
      }
      expect(emulator.count()).toBe(0);
    });
  });

  describe('43: paths safe by construction', () => {
    it.each([
      ['/payables/..\\roles'],
      ['/payables/%2e%2e/roles'],
      ['/payables/%2E%2E/roles'],
      ['/payables/.%2e/roles'],
      ['/payables/%2e%2e%2froles'],
      ['/payables/x%5c..%5croles'],
    ])(
      '43: MoniteClient refuses %s before any request (partner-managed: it would be a partner call)',
      async (path) => {
        await boot({
          securityModel: 'partner-managed',
          roleProvider: () => ({ permissions: { objects: [] } }),
        });
        emulator.reset();
        await expect(client.get(path, { user: carol })).rejects.toThrow(TypeError);
        await expect(client.delete(path, { user: carol })).rejects.toThrow(/Invalid Monite path/);
        expect(emulator.count()).toBe(0);
      },
    );

    it('refuses paths that would leave the configured base URL', async () => {
      for (const path of [
        'https://evil.example/v1/payables',
        '//evil.example/x',
        '/payables/../auth/token',
        'payables',
        '/payables?limit=1',
      ]) {
        await expect(client.get(path, { user: carol })).rejects.toThrow(/Invalid Monite path/);
      }
      expect(emulator.count()).toBe(0);
    });

    it('the template form fills each parameter, encoded, into its own segment', async () => {
      const payable = await client.get<Payable>('/payables/{id}', {
        params: { id: DEMO_PAYABLES.carolNew.id },
        user: carol,
      });
      expect(payable.id).toBe(DEMO_PAYABLES.carolNew.id);

      await rejection(client.get('/payables/{id}', { params: { id: 'x?y#z %' }, user: carol }));
      await rejection(client.post('/payables/{id}/approve', {}, { params: { id: '..x' }, user: carol }));
      const paths = emulator.requests().filter((r) => r.route !== TOKEN_ROUTE);
      expect(paths.map((r) => r.path)).toEqual([
        `/v1/payables/${DEMO_PAYABLES.carolNew.id}`,
        '/v1/payables/x%3Fy%23z%20%25',
        '/v1/payables/..x/approve',
      ]);
    });

    it('43: a parameter that is missing, empty, a dot segment, a path or names no placeholder is a TypeError before any request', async () => {
      const cases: Record<string, string>[] = [
        {},
        { id: '' },
        { id: '..' },
        { id: '.' },
        { id: '../roles' },
        { id: '..\\roles' },
        { id: '%2e%2e' },
        { id: 'x%2f..%2f..%2froles' },
        { id: DEMO_PAYABLES.carolNew.id, x: '1' },
      ];
      for (const params of cases) {
        await expect(client.get('/payables/{id}', { params, user: carol })).rejects.toThrow(TypeError);
      }
      expect(emulator.count()).toBe(0);
    });
  });

  describe('49: no secret in an error, even when Monite echoes it', () => {
    it('49: MoniteClient errors never hold the bearer token Monite echoed', async () => {
      const { accessToken } = await remember(tokens.getEntityUserToken(alice.entityUserId));
      const echoes = [
        {
          status: 403,
          body: { error: { message: `token ${accessToken} may not read payables`, type: accessToken } },
        },
        {
          status: 422,
          body: { detail: [{ loc: ['header', accessToken], msg: `Bearer ${accessToken} is odd` }] },
        },
        { status: 409, body: { error: { message: `${'x'.repeat(290)}${accessToken}` } } },
        { status: 500, body: { detail: `upstream refused ${accessToken}` } },
      ];
      for (const echo of echoes) {
        // A GET is retried on a 5xx (maxRetries 2 here): every attempt echoes it.
        for (let i = echo.status === 500 ? 3 : 1; i > 0; i--) emulator.fault(ONE_ROUTE, echo);
        const error = await rejection(
          client.get('/payables/{id}', { params: { id: DEMO_PAYABLES.carolNew.id }, user: alice }),
        );
        expect(error.getStatus()).toBeGreaterThanOrEqual(400);
      }
    });

    it('49: nor the client secret Monite echoed', async () => {
      emulator.fault(ONE_ROUTE, {
        status: 400,
        body: {
          error: { message: `bad client_secret ${DEMO_CLIENT.clientSecret}`, type: DEMO_CLIENT.clientSecret },
        },
      });
      const error = await rejection(
        client.get('/payables/{id}', { params: { id: DEMO_PAYABLES.carolNew.id }, user: alice }),
      );
      // Monite refused the request's content: 422 for our caller (errors/monite-http-exception.ts).
      expect(error.getStatus()).toBe(422);
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
      const error = await rejection(
        client.get('/payables', { user: moniteAsPartner(DEMO_ENTITIES.acme.id) }),
      );
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

    it('20: 429 on an idempotent call waits Retry-After on the injected clock and retries', async () => {
      const clock = new VirtualMoniteClock();
      await boot({}, clock);
      emulator.fault(LIST_ROUTE, { status: 429, retryAfter: '1' });
      const list = await client.get<PayableList>('/payables', { user: alice });
      expect(list.data.length).toBeGreaterThan(0);
      expect(clock.sleeps).toEqual([1_000]);
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

    it('21: a 5xx on a GET is retried with backoff on the injected clock, then 503', async () => {
      const clock = new VirtualMoniteClock();
      await boot({}, clock);
      await client.get('/payables', { user: alice });
      for (let i = 0; i < 3; i++) emulator.fault(LIST_ROUTE, { status: 500 });
      expect((await rejection(client.get('/payables', { user: alice }))).getStatus()).toBe(503);
      expect(emulator.count(LIST_ROUTE)).toBe(1 + 3);
      expect(clock.sleeps).toHaveLength(2);
    });

    it('a 5xx or a hang on a POST is 503 at once, never retried: Monite may have done the work', async () => {
      emulator.fault('POST /v1/payables', { status: 500 });
      const body = { amount: 1, currency: 'EUR' };
      expect((await rejection(client.post('/payables', body, { user: alice }))).getStatus()).toBe(503);
      emulator.fault('POST /v1/payables', { hang: true });
      const hung = await rejection(client.post('/payables', body, { user: alice, timeoutMs: 200 }));
      expect(hung.getStatus()).toBe(503);
      expect(hung.moniteError.code).toBe('ETIMEDOUT');
      expect(emulator.count('POST /v1/payables')).toBe(2);
    });

    it('a malformed 2xx body is 503, not retried', async () => {
      emulator.fault(LIST_ROUTE, { malformed: true });
      expect((await rejection(client.get('/payables', { user: alice }))).getStatus()).toBe(503);
      expect(emulator.count(LIST_ROUTE)).toBe(1);
    });

    it('a failure to obtain a token is a 502/503 for our caller, never a 401', async () => {
      await boot({ clientSecret: 'not-the-right-secret' });
      const error = await rejection(client.get('/payables', { user: alice }));
      expect([502, 503]).toContain(error.getStatus());
      expect(JSON.stringify(error)).not.toContain('not-the-right-secret');
    });
  });
});
