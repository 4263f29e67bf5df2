/*
 * TEST-CHECKLIST.md "Revocation" (28-30) against the real emulator over loopback HTTP: the emulator
 * itself says whether a token still works. 31 checks everything this file made the library say or throw.
 */
import type { MoniteEmulator } from 'monite-emulator';
import {
  InMemoryTokenStore,
  MoniteInvalidations,
  MoniteUnavailableError,
  MoniteValidationError,
  type MoniteAuthModuleOptions,
  type MoniteInvalidation,
} from 'nestjs-monite-auth';
import { rejection } from '../support/leak-ledger.js';
import {
  CANARY_SECRET,
  CLIENT_ID,
  bootTokens,
  startEmulator,
  userId,
  whoAmI,
  type TokenHarness,
  canaryLedger,
} from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const REVOKE_ROUTE = 'POST /v1/auth/revoke';

describe('token revocation (emulator over loopback)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  let harness: TokenHarness | undefined;
  const boot = async (options: Partial<MoniteAuthModuleOptions> = {}) => {
    harness = await bootTokens(emulator, ledger, options);
    return harness;
  };
  const revokedEvents = () => ledger.events.filter((event) => event.startsWith('onTokenRevoked ')).length;

  beforeAll(async () => {
    emulator = await startEmulator(5);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('28: revoke sends Monite the token as Bearer and {client_id, client_secret, token}; the cached copy is gone', async () => {
    const { tokens } = await boot();
    const sent: Array<{ body: string; authorization?: string }> = [];
    harness!.tap(
      (body, authorization) => sent.push({ body, authorization }),
      () => undefined,
    );
    const token = await tokens.getEntityUserToken(userId(1));
    await expect(whoAmI(emulator, token.accessToken)).resolves.toEqual({ status: 200, id: userId(1) });
    const revoked = revokedEvents();

    await tokens.revokeToken(token.accessToken);

    const [request] = emulator.requests(REVOKE_ROUTE);
    expect(emulator.count(REVOKE_ROUTE)).toBe(1);
    expect(request!.headers.authorization).toMatch(/^Bearer /);
    expect(request!.headers['x-monite-version']).toBe('2024-05-25');
    expect([...request!.bodyFields].sort()).toEqual(['client_id', 'client_secret', 'token']);
    const wire = sent.at(-1)!;
    expect(wire.authorization).toBe(`Bearer ${token.accessToken}`);
    expect(JSON.parse(wire.body)).toEqual({
      client_id: CLIENT_ID,
      client_secret: CANARY_SECRET,
      token: token.accessToken,
    });
    // Monite no longer accepts it, and the library no longer serves it.
    await expect(whoAmI(emulator, token.accessToken)).resolves.toMatchObject({ status: 401 });
    const next = await tokens.getEntityUserToken(userId(1));
    expect(next.accessToken).not.toBe(token.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    expect(revokedEvents()).toBe(revoked + 1);
    expect(ledger.events.findLast((event) => event.startsWith('onTokenRevoked '))).toContain(userId(1));
  });

  it('28: revoking the partner token evicts it; the next call fetches a new one', async () => {
    const { tokens } = await boot();
    const token = await tokens.getPartnerToken();

    await tokens.revokeToken(token.accessToken);

    await expect(tokens.getPartnerToken()).resolves.not.toEqual(token);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('29: revoking an unknown token is a success and touches no cached token', async () => {
    const { tokens } = await boot();
    const cached = await tokens.getPartnerToken();

    await expect(tokens.revokeToken('never-issued-token-0123456789')).resolves.toBeUndefined();

    expect(emulator.count(REVOKE_ROUTE)).toBe(1);
    await expect(tokens.getPartnerToken()).resolves.toEqual(cached);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('29: revoking a token already revoked (at Monite, behind our back) is a success and clears the cache', async () => {
    const { tokens } = await boot();
    const token = await tokens.getEntityUserToken(userId(2));
    const outOfBand = await fetch(`${emulator.url}/auth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-monite-version': '2024-05-25',
        authorization: `Bearer ${token.accessToken}`,
      },
      body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CANARY_SECRET, token: token.accessToken }),
    });
    expect(outOfBand.status).toBe(200);

    await expect(tokens.revokeToken(token.accessToken)).resolves.toBeUndefined();
    await expect(tokens.revokeToken(token.accessToken)).resolves.toBeUndefined(); // and again

    const next = await tokens.getEntityUserToken(userId(2));
    expect(next.accessToken).not.toBe(token.accessToken);
    await expect(whoAmI(emulator, next.accessToken)).resolves.toEqual({ status: 200, id: userId(2) });
  });

  it('29: a value that is not a token is refused before any request', async () => {
    const { tokens } = await boot();
    const error = await rejection(tokens.revokeToken('has spaces and "quotes"'), ledger);
    expect(error).toBeInstanceOf(MoniteValidationError);
    expect(emulator.count()).toBe(0);
  });

  it('30: revoke answers 503: the local copy is dropped anyway and the failure is reported', async () => {
    const { tokens } = await boot({ retry: { maxRetries: 0 } });
    const token = await tokens.getEntityUserToken(userId(3));
    emulator.fault(REVOKE_ROUTE, { status: 503 });
    const warnings = ledger.lines('warn').length;

    const error = await rejection(tokens.revokeToken(token.accessToken), ledger);

    expect(error).toBeInstanceOf(MoniteUnavailableError);
    expect(error).toMatchObject({ status: 503 });
    expect(error.message).toMatch(/token revocation failed/);
    expect(ledger.lines('warn').length).toBe(warnings + 1);
    // Dropped locally: the next call fetches a new token even though Monite still accepts the old one.
    const next = await tokens.getEntityUserToken(userId(3));
    expect(next.accessToken).not.toBe(token.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    await expect(whoAmI(emulator, token.accessToken)).resolves.toMatchObject({ status: 200 });
  });

  it('30: revoke cannot reach Monite (connection reset): dropped locally, failure reported', async () => {
    const { tokens } = await boot({ retry: { maxRetries: 0 } });
    const token = await tokens.getPartnerToken();
    emulator.fault(REVOKE_ROUTE, { reset: true });

    const error = await rejection(tokens.revokeToken(token.accessToken), ledger);

    expect(error).toBeInstanceOf(MoniteUnavailableError);
    await expect(tokens.getPartnerToken()).resolves.not.toEqual(token);
  });

  it('44/45: revoking on one instance a token another one fetched drops the user’s role on both, whatever the id’s letter case (review finding)', async () => {
    // Before: only the instance that minted the token dropped the role, and only for the same spelling.
    const bus = new InvalidationBus();
    const a = await bootTokens(emulator, ledger, { tokenStore: bus.store() });
    const b = await bootTokens(emulator, ledger, { tokenStore: bus.store() });
    const seen = { a: [] as MoniteInvalidation[], b: [] as MoniteInvalidation[] };
    a.module.get(MoniteInvalidations).subscribe((invalidation) => seen.a.push(invalidation));
    b.module.get(MoniteInvalidations).subscribe((invalidation) => seen.b.push(invalidation));
    try {
      const token = await a.tokens.getEntityUserToken(userId(4).toUpperCase());
      await b.tokens.revokeToken(token.accessToken, { entityUserId: userId(4).toUpperCase() });

      const expected = [{ kind: 'entity_user', entityUserId: userId(4) }];
      expect(seen).toEqual({ a: expected, b: expected });
      await expect(whoAmI(emulator, token.accessToken)).resolves.toMatchObject({ status: 401 });
      await expect(a.tokens.getEntityUserToken(userId(4))).resolves.not.toEqual(token);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('31: no secret, token, Authorization value or base64 credentials in any log line, hook event or error', () => {
    expect(ledger.tokens.size).toBeGreaterThanOrEqual(8);
    expect(ledger.errors.length).toBeGreaterThanOrEqual(10);
    expect(ledger.lines('warn').length).toBeGreaterThanOrEqual(2);
    expect(ledger.events.some((event) => event.startsWith('onTokenRevoked'))).toBe(true);
    expect(ledger.leaks()).toEqual([]);
  });
});

/**
 * Two instances' shared store, the way a shared store (Redis) behaves: one set of tokens, and what
 * one instance publishes reaches the others (not itself).
 */
class InvalidationBus {
  private readonly tokens = new InMemoryTokenStore();
  private readonly listeners = new Map<object, (invalidation: MoniteInvalidation) => void>();

  store() {
    const { listeners, tokens: shared } = this;
    const self = {
      get: (key: string) => shared.get(key),
      set: (key: string, token: Parameters<InMemoryTokenStore['set']>[1]) => shared.set(key, token),
      delete: (key: string) => shared.delete(key),
      deleteToken: (token: string, key?: string) => shared.deleteToken(token, key),
      async publishInvalidation(invalidation: MoniteInvalidation) {
        for (const [owner, listener] of listeners) if (owner !== self) listener(invalidation);
      },
      subscribeInvalidations(listener: (invalidation: MoniteInvalidation) => void) {
        listeners.set(self, listener);
        return () => listeners.delete(self);
      },
    };
    return self;
  }
}
