/*
 * TEST-CHECKLIST.md "Cache and refresh" (6-17) against the real emulator over loopback HTTP, with a
 * virtual clock for token time; 31 checks everything this file made the library say or throw.
 */
import type { MoniteEmulator } from 'monite-emulator';
import { InMemoryTokenStore, MoniteUnavailableError, type MoniteAuthModuleOptions } from 'nestjs-monite-auth';
import { VirtualMoniteClock } from 'nestjs-monite-auth/testing';
import { rejection } from '../support/leak-ledger.js';
import {
  bootTokens,
  canaryLedger,
  eventually,
  settle,
  startEmulator,
  userId,
  whoAmI,
  type TokenHarness,
} from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const LIFETIME_MS = 1_800_000;

describe('token cache and refresh (emulator over loopback)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  const harnesses: TokenHarness[] = [];
  const boot = async (options: Partial<MoniteAuthModuleOptions> = {}, clock?: VirtualMoniteClock) => {
    const harness = await bootTokens(emulator, ledger, options, clock);
    harnesses.push(harness);
    return harness;
  };
  /** Hook events of one kind recorded so far (the ledger spans the whole file). */
  const events = (name: string) => ledger.events.filter((e) => e.startsWith(`${name} `)).length;

  beforeAll(async () => {
    emulator = await startEmulator(20);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  it('6: two calls within the lifetime make one request', async () => {
    const { tokens, clock } = await boot();
    const first = await tokens.getPartnerToken();
    clock.advance(LIFETIME_MS / 2);
    const second = await tokens.getPartnerToken();

    expect(second).toEqual(first);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('7: users A and B and the partner have separate keys and are never served each other’s token', async () => {
    const { tokens } = await boot();
    const [a, b, partner] = await Promise.all([
      tokens.getEntityUserToken(userId(1)),
      tokens.getEntityUserToken(userId(2)),
      tokens.getPartnerToken(),
    ]);
    const again = await Promise.all([
      tokens.getEntityUserToken(userId(1).toUpperCase()),
      tokens.getEntityUserToken(userId(2)),
      tokens.getPartnerToken(),
    ]);

    expect(new Set([a.accessToken, b.accessToken, partner.accessToken]).size).toBe(3);
    expect(again).toEqual([a, b, partner]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    // Monite itself says whose token each one is.
    await expect(whoAmI(emulator, a.accessToken)).resolves.toEqual({ status: 200, id: userId(1) });
    await expect(whoAmI(emulator, b.accessToken)).resolves.toEqual({ status: 200, id: userId(2) });
  });

  it('8: cached until expiresAt - skew, refetched at it (inclusive), served while one refresh runs', async () => {
    const { tokens, clock } = await boot({ tokenRefreshSkewMs: 60_000 });
    const first = await tokens.getPartnerToken();
    const refreshAt = first.expiresAt - 60_000;

    clock.advance(refreshAt - 1 - clock.now());
    await expect(tokens.getPartnerToken()).resolves.toEqual(first);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);

    clock.advance(1); // exactly refreshAt
    const refreshed = events('onTokenRefreshed');
    const during = await Promise.all(Array.from({ length: 20 }, () => tokens.getPartnerToken()));
    expect(during.every((t) => t.accessToken === first.accessToken)).toBe(true);
    await eventually(() => events('onTokenRefreshed') === refreshed + 1);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);

    const after = await tokens.getPartnerToken();
    expect(after.accessToken).not.toBe(first.accessToken);
    expect(after.expiresAt).toBe(clock.now() + LIFETIME_MS);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it.each([10, 60])(
    '9: a %i s lifetime with a 5 min skew refreshes at half the lifetime, not on every call',
    async (seconds) => {
      emulator.setTokenLifetime(seconds);
      const { tokens, clock } = await boot({ tokenRefreshSkewMs: 300_000 });
      const first = await tokens.getPartnerToken();
      const half = (seconds * 1000) / 2;

      for (let step = 0; step < 10; step++) {
        await tokens.getPartnerToken();
        clock.advance((half - 1) / 10);
      }
      expect(emulator.count(TOKEN_ROUTE)).toBe(1);

      clock.advance(first.expiresAt - half - clock.now());
      const refreshed = events('onTokenRefreshed');
      await tokens.getPartnerToken();
      await eventually(() => events('onTokenRefreshed') === refreshed + 1);
      expect(emulator.count(TOKEN_ROUTE)).toBe(2);
      const second = await tokens.getPartnerToken();
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.expiresAt - clock.now()).toBe(seconds * 1000);
    },
  );

  it('10: a slow token response (5 s): the expiry counts from when the request was sent', async () => {
    // Virtual time runs 10x real time: the 500 ms real delay is 5 s for the library.
    const clock = new VirtualMoniteClock(10);
    const { tokens } = await boot({}, clock);
    emulator.fault(TOKEN_ROUTE, { delayMs: 500 });

    const sentAt = clock.now();
    const token = await tokens.getPartnerToken();
    const receivedAt = clock.now();

    expect(receivedAt - sentAt).toBeGreaterThanOrEqual(5_000);
    expect(token.expiresAt).toBeGreaterThanOrEqual(sentAt + LIFETIME_MS);
    // Dated from sending (plus local overhead), not from receiving 5 s later.
    expect(token.expiresAt).toBeLessThan(receivedAt + LIFETIME_MS - 4_000);
  });

  it('11: the wall clock jumps an hour forward: the token is refetched with a positive TTL, then cached', async () => {
    const { tokens, clock, store } = await boot();
    const first = await tokens.getPartnerToken();

    clock.jumpWall(3_600_000);
    const second = await tokens.getPartnerToken();
    const third = await tokens.getPartnerToken();

    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.expiresAt - clock.now()).toBe(LIFETIME_MS);
    expect(third).toEqual(second);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    expect((store as InMemoryTokenStore).size.partnerTokens).toBe(1);
  });

  it('11: the wall clock jumps an hour back: the token still expires by elapsed time, never cached forever', async () => {
    const { tokens, clock } = await boot({ tokenRefreshSkewMs: 60_000 });
    const first = await tokens.getEntityUserToken(userId(3));

    clock.jumpWall(-3_600_000);
    clock.advance(LIFETIME_MS - 60_000 - 1);
    // By the wall clock the token has 61 min left; by elapsed time, 60 s + 1 ms.
    const stillValid = await tokens.getEntityUserToken(userId(3));
    expect(stillValid.accessToken).toBe(first.accessToken);
    expect(stillValid.expiresAt - clock.now()).toBe(60_001);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);

    clock.advance(1); // the refresh point, by elapsed time
    const refreshed = events('onTokenRefreshed');
    await tokens.getEntityUserToken(userId(3));
    await eventually(() => events('onTokenRefreshed') === refreshed + 1);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);

    const fresh = await tokens.getEntityUserToken(userId(3));
    expect(fresh.accessToken).not.toBe(first.accessToken);
    expect(fresh.expiresAt - clock.now()).toBe(LIFETIME_MS);
  });

  it.each([100, 1_000])(
    '13: %i concurrent cold calls for one key make exactly one request, one token for all',
    async (n) => {
      const { tokens } = await boot();
      const results = await Promise.all(Array.from({ length: n }, () => tokens.getPartnerToken()));

      expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
      expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    },
  );

  it('13: 100 concurrent cold calls for one entity user make one request', async () => {
    const { tokens } = await boot();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => tokens.getEntityUserToken(userId(7))),
    );
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('14: concurrent calls for different users: one request per user, none waits for another', async () => {
    const { tokens } = await boot();
    emulator.fault(TOKEN_ROUTE, { delayMs: 1_500 });
    let slowDone = false;
    const slow = tokens.getEntityUserToken(userId(1)).then((t) => {
      slowDone = true;
      return t;
    });
    await eventually(() => emulator.count(TOKEN_ROUTE) === 1);

    const others = await Promise.all(
      [2, 3, 4, 5].flatMap((n) => Array.from({ length: 10 }, () => tokens.getEntityUserToken(userId(n)))),
    );
    expect(slowDone).toBe(false);
    expect(new Set(others.map((t) => t.accessToken)).size).toBe(4);

    await slow;
    expect(emulator.count(TOKEN_ROUTE)).toBe(5);
  });

  it('15: the shared request fails (500): every waiter gets the same typed error; the next call tries again', async () => {
    const { tokens } = await boot({ retry: { maxRetries: 0 } });
    emulator.fault(TOKEN_ROUTE, { status: 500 });

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => tokens.getPartnerToken()));

    const reasons = results.map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(new Set(reasons).size).toBe(1);
    ledger.recordError(reasons[0]);
    expect(reasons[0]).toBeInstanceOf(MoniteUnavailableError);
    expect(reasons[0]).toMatchObject({ status: 500, moniteMessage: 'Internal Server Error' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);

    await expect(tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('16: a token evicted while its refresh is in flight is never served again; callers share that refresh', async () => {
    const { tokens, clock } = await boot({ tokenRefreshSkewMs: 60_000 });
    const first = await tokens.getPartnerToken();
    clock.advance(LIFETIME_MS - 60_000);

    emulator.fault(TOKEN_ROUTE, { delayMs: 500 });
    await expect(tokens.getPartnerToken()).resolves.toEqual(first); // served while the slow refresh runs
    await eventually(() => emulator.count(TOKEN_ROUTE) === 2);
    await tokens.evictToken(first.accessToken); // e.g. Monite answered 401 to a call
    const [a, b] = await Promise.all([tokens.getPartnerToken(), tokens.getPartnerToken()]);

    expect(a.accessToken).not.toBe(first.accessToken);
    expect(b).toEqual(a);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2); // the refresh already in flight, not a third request
    await expect(tokens.getPartnerToken()).resolves.toEqual(a);
  });

  it('16: two instances sharing a store: the slower, older refresh does not overwrite the newer token', async () => {
    const clock = new VirtualMoniteClock();
    const store = new InMemoryTokenStore({ clock });
    const a = await boot({ tokenStore: store, tokenRefreshSkewMs: 60_000 }, clock);
    const b = await boot({ tokenStore: store, tokenRefreshSkewMs: 60_000 }, clock);
    const issued = collectIssued(b); // both modules share one axios instance: sees every token
    const first = await a.tokens.getPartnerToken();
    await expect(b.tokens.getPartnerToken()).resolves.toEqual(first);
    clock.advance(LIFETIME_MS - 60_000);

    emulator.fault(TOKEN_ROUTE, { delayMs: 1_000 });
    await a.tokens.getPartnerToken(); // A's refresh: sent first, answers last
    await eventually(() => emulator.count(TOKEN_ROUTE) === 2);
    clock.advance(1_000);
    await b.tokens.getPartnerToken(); // B's refresh: sent later, answers at once
    await eventually(() => issued.length === 3); // B's answer, then A's
    await settle(50); // A's flight stores (or not) right after its answer

    const fromA = await a.tokens.getPartnerToken();
    const fromB = await b.tokens.getPartnerToken();
    expect(fromA).toEqual(fromB);
    expect(fromA.accessToken).toBe(issued[1]); // B's, the newer one
    expect(fromA.expiresAt).toBe(clock.now() + LIFETIME_MS); // B sent its request at clock.now()
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
  });

  it('17: revoke while a refresh for that key is in flight: the fetched token is not kept', async () => {
    const { tokens, clock } = await boot({ tokenRefreshSkewMs: 60_000 });
    const issued = collectIssued(harnesses.at(-1)!);
    const first = await tokens.getEntityUserToken(userId(9));
    clock.advance(LIFETIME_MS - 60_000);

    emulator.fault(TOKEN_ROUTE, { delayMs: 800 });
    await expect(tokens.getEntityUserToken(userId(9))).resolves.toEqual(first); // starts the refresh
    await eventually(() => emulator.count(TOKEN_ROUTE) === 2);
    const refreshed = events('onTokenRefreshed');
    await tokens.revokeToken(first.accessToken);
    await eventually(() => events('onTokenRefreshed') === refreshed + 1);

    const next = await tokens.getEntityUserToken(userId(9));
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.accessToken).not.toBe(issued[1]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    await expect(whoAmI(emulator, first.accessToken)).resolves.toMatchObject({ status: 401 });
  });

  it('17: revoke while a cold fetch for that key is in flight: its waiters get the token, the cache does not', async () => {
    const { tokens } = await boot();
    const first = await tokens.getEntityUserToken(userId(10));
    await tokens.evictToken(first.accessToken);

    emulator.fault(TOKEN_ROUTE, { delayMs: 800 });
    const waiting = Promise.all([
      tokens.getEntityUserToken(userId(10)),
      tokens.getEntityUserToken(userId(10)),
    ]);
    await eventually(() => emulator.count(TOKEN_ROUTE) === 2);
    await tokens.revokeToken(first.accessToken);
    const [w1, w2] = await waiting;

    expect(w1).toEqual(w2);
    const next = await tokens.getEntityUserToken(userId(10));
    expect(next.accessToken).not.toBe(w1.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
  });

  it('31: no secret, token, Authorization value or base64 credentials in any log line, hook event or error', async () => {
    const { tokens } = await boot({ clientSecret: 'wrong' });
    await rejection(tokens.getPartnerToken(), ledger);
    expect(ledger.tokens.size).toBeGreaterThan(20);
    expect(ledger.lines('debug').length).toBeGreaterThan(20);
    expect(ledger.lines('warn').length).toBeGreaterThan(0);
    expect(ledger.errors.length).toBeGreaterThan(0);
    expect(ledger.leaks()).toEqual([]);
  });
});

/** Access tokens the endpoint issued to this harness, in order of arrival. */
function collectIssued(harness: TokenHarness): string[] {
  const issued: string[] = [];
  harness.tap(
    () => undefined,
    (body) => {
      const token = (JSON.parse(body) as { access_token?: string }).access_token;
      if (token) issued.push(token);
    },
  );
  return issued;
}
