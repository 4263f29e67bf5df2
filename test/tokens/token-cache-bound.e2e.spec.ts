/*
 * TEST-CHECKLIST.md 12 (bounded cache) through the token service against the real emulator: every
 * user needs a real token request, so this case has its own file. The store's LRU bound itself is
 * proven in milliseconds by in-memory-token-store.spec.ts, and the heap per token at 100k users by
 * `npm run bench`; here, 4x the cache's size in users shows the service keeps to it on the wire.
 * 31 checks everything this file made the library say or throw.
 */
import type { MoniteEmulator } from 'monite-emulator';
import { InMemoryTokenStore } from 'nestjs-monite-auth';
import { bootTokens, startEmulator, userId, type TokenHarness, canaryLedger } from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const USERS = 2_000;
const CACHE = 500;

describe('token cache bound (emulator over loopback)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  let harness: TokenHarness;

  beforeAll(async () => {
    emulator = await startEmulator(USERS);
    harness = await bootTokens(emulator, ledger, {
      entityUserTokenCacheMax: CACHE,
      maxConcurrentTokenRequests: 32,
    });
  });
  afterAll(async () => {
    await harness.close();
    await emulator.close();
  });

  it(`12: ${USERS} distinct users with a cache of ${CACHE} keep ${CACHE} entries; the partner token survives the churn`, async () => {
    const { tokens } = harness;
    const store = harness.store as InMemoryTokenStore;
    const partner = await tokens.getPartnerToken();
    const batch = 250;
    for (let start = 1; start <= USERS; start += batch) {
      await Promise.all(
        Array.from({ length: batch }, (_, i) => tokens.getEntityUserToken(userId(start + i))),
      );
      expect(store.size.entityUserTokens).toBeLessThanOrEqual(CACHE);
    }

    expect(store.size).toEqual({ entityUserTokens: CACHE, partnerTokens: 1 });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1 + USERS);
    await expect(tokens.getPartnerToken()).resolves.toEqual(partner);
    // The most recent users are still cached, the oldest were evicted.
    await tokens.getEntityUserToken(userId(USERS));
    expect(emulator.count(TOKEN_ROUTE)).toBe(1 + USERS);
    await tokens.getEntityUserToken(userId(1));
    expect(emulator.count(TOKEN_ROUTE)).toBe(2 + USERS);
  }, 60_000);

  it(`31: no token or secret in the ${USERS} users’ log lines and hook events`, () => {
    expect(ledger.tokens.size).toBe(2 + USERS);
    expect(ledger.lines('debug').length).toBeGreaterThanOrEqual(2 + USERS);
    expect(ledger.events.length).toBeGreaterThanOrEqual(2 + USERS);
    expect(ledger.leaks()).toEqual([]);
  });
});
