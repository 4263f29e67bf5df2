/*
 * The token service's decisions, in milliseconds of virtual time, against a fake endpoint (no HTTP):
 * single flight, the refresh boundary, discarding on revocation, invalidations in and out, owner
 * hints, the rate-limit window, what it tells the store. The wire is proven in test/tokens/.
 */
import { hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';
import {
  MoniteConfigurationError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteValidationError,
} from '../errors/index.js';
import { resolveMoniteAuthOptions } from '../monite-auth.options-validation.js';
import type { MoniteAuthModuleOptions } from '../monite-auth.options.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { InMemoryTokenStore } from './in-memory-token-store.js';
import { MoniteInvalidations, type MoniteInvalidation } from './monite-invalidations.js';
import type { MoniteMintLimits, MoniteTokenStore, StoredToken } from './monite-token-store.js';
import { MoniteTokenService } from './monite-token.service.js';
import { TokenCacheKeys } from './token-cache-key.js';
import type { IssuedToken, TokenEndpointClient, TokenGrantRequest } from './token-endpoint.client.js';

const SECRET = 'unit-secret-0123456789';
const CLIENT = '11111111-1111-4111-8111-111111111111';
const ENTITY = 'e0000000-0000-4000-8000-000000000001';
const OTHER_ENTITY = 'e0000000-0000-4000-8000-000000000002';
const ALICE = 'a0000000-0000-4000-8000-00000000000a';
const BOB = 'b0000000-0000-4000-8000-00000000000b';
const LIFETIME = 1_800_000;
const PARTNER_KEY = new TokenCacheKeys({
  tokenUrl: 'http://127.0.0.1:9/v1/auth/token',
  clientId: CLIENT,
  apiVersion: '2024-05-25',
  profile: 'monite',
  scope: [],
}).partner();
const SKEW = 60_000;

/** A token endpoint answered by the test: each request waits until `answer` or `fail`. */
class FakeEndpoint {
  readonly callBudgetMs = 42_000;
  readonly requests: TokenGrantRequest[] = [];
  readonly revoked: string[] = [];
  rateLimitedUntil = 0;
  revokeFailure?: Error;
  private issued = 0;
  private readonly pending: Array<{ resolve: (token: IssuedToken) => void; reject: (error: Error) => void }> =
    [];

  constructor(private readonly clock: VirtualMoniteClock) {}

  requestToken(request: TokenGrantRequest): Promise<IssuedToken> {
    this.requests.push(request);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  /** Answers the oldest pending request with a new token (`lifetimeMs`, sent `elapsedMs` ago). */
  answer(lifetimeMs = LIFETIME, elapsedMs = 0): string {
    const accessToken = `tok-${++this.issued}`;
    this.pending.shift()!.resolve({ accessToken, lifetimeMs, elapsedMs });
    return accessToken;
  }

  fail(error: Error): void {
    this.pending.shift()!.reject(error);
  }

  get waiting(): number {
    return this.pending.length;
  }

  rateLimitRejection(): MoniteRateLimitError | undefined {
    const left = this.rateLimitedUntil - this.clock.monotonic();
    return left > 0 ? new MoniteRateLimitError('limited', { status: 429, retryAfterMs: left }) : undefined;
  }

  async revoke(token: string): Promise<void> {
    this.revoked.push(token);
    if (this.revokeFailure) throw this.revokeFailure;
  }
}

/** An in-memory store that also plays the shared-store parts: publish, subscribe, mint coordination, sealing. */
class SharedStoreFake extends InMemoryTokenStore implements MoniteTokenStore {
  readonly published: MoniteInvalidation[] = [];
  readonly mintLimits: MoniteMintLimits[] = [];
  readonly deletedTokens: Array<[string, string | undefined]> = [];
  sealingKeys: Uint8Array[] = [];
  listener?: (invalidation: MoniteInvalidation) => void;
  unsubscribed = false;

  async publishInvalidation(invalidation: MoniteInvalidation): Promise<void> {
    this.published.push(invalidation);
  }
  subscribeInvalidations(listener: (invalidation: MoniteInvalidation) => void): () => void {
    this.listener = listener;
    return () => (this.unsubscribed = true);
  }
  async coordinateMint(_key: string, mint: () => Promise<StoredToken>, limits?: MoniteMintLimits) {
    if (limits) this.mintLimits.push(limits);
    return mint();
  }
  useDerivedSealingKey(keyMaterial: Uint8Array): void {
    this.sealingKeys.push(keyMaterial);
  }
  override async deleteToken(accessToken: string, key?: string): Promise<void> {
    this.deletedTokens.push([accessToken, key]);
    await super.deleteToken(accessToken, key);
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(overrides: Partial<MoniteAuthModuleOptions> = {}) {
  const clock = new VirtualMoniteClock();
  const endpoint = new FakeEndpoint(clock);
  const store = new SharedStoreFake({ clock });
  const invalidations = new MoniteInvalidations();
  const delivered: MoniteInvalidation[] = [];
  invalidations.subscribe((invalidation) => delivered.push(invalidation));
  const options = resolveMoniteAuthOptions({
    clientId: CLIENT,
    clientSecret: SECRET,
    apiUrl: 'http://127.0.0.1:9/v1',
    tokenRefreshSkewMs: SKEW,
    ...overrides,
  });
  const service = new MoniteTokenService(
    options,
    store,
    endpoint as unknown as TokenEndpointClient,
    clock,
    invalidations,
  );
  return { clock, endpoint, store, service, delivered };
}

describe('MoniteTokenService', () => {
  describe('single flight and the cache', () => {
    it('13: 100 concurrent cold calls make one request and get one token', async () => {
      const { endpoint, service } = setup();
      const calls = Array.from({ length: 100 }, () => service.getPartnerToken());
      await flush();
      expect(endpoint.requests).toEqual([{ grant: 'client_credentials', entityUserId: undefined }]);
      const issued = endpoint.answer();
      const tokens = await Promise.all(calls);
      expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set([issued]));
    });

    it('14: different users get one request each; none waits for another', async () => {
      const { endpoint, service } = setup();
      const alice = service.getEntityUserToken(ALICE);
      const bob = service.getEntityUserToken(BOB);
      await flush();
      expect(endpoint.requests.map((request) => request.entityUserId)).toEqual([ALICE, BOB]);
      endpoint.answer(); // Alice's
      await expect(alice).resolves.toMatchObject({ accessToken: 'tok-1' });
      endpoint.answer();
      await expect(bob).resolves.toMatchObject({ accessToken: 'tok-2' });
    });

    it('15: a failure reaches every waiter, is never cached, and the next call asks again', async () => {
      const { endpoint, service } = setup();
      const calls = [service.getPartnerToken(), service.getPartnerToken()];
      await flush();
      const failure = new MoniteUnavailableError('down', { status: 503 });
      endpoint.fail(failure);
      const results = await Promise.allSettled(calls);
      expect(results.map((result) => (result as PromiseRejectedResult).reason)).toEqual([failure, failure]);
      const next = service.getPartnerToken();
      await flush();
      expect(endpoint.requests).toHaveLength(2);
      endpoint.answer();
      await expect(next).resolves.toMatchObject({ accessToken: 'tok-1' });
    });

    it('8: served from the cache until refreshAt - 1 ms; at refreshAt one background refresh, the old token meanwhile', async () => {
      const { clock, endpoint, service } = setup();
      const first = service.getPartnerToken();
      await flush();
      endpoint.answer();
      const token = await first;
      expect(token.expiresAt).toBe(clock.now() + LIFETIME);

      clock.advance(LIFETIME - SKEW - 1);
      await expect(service.getPartnerToken()).resolves.toEqual(token);
      expect(endpoint.requests).toHaveLength(1);

      clock.advance(1);
      const during = await Promise.all([service.getPartnerToken(), service.getPartnerToken()]);
      expect(during).toEqual([token, token]);
      await flush();
      expect(endpoint.requests).toHaveLength(2);
      endpoint.answer();
      await flush();
      await expect(service.getPartnerToken()).resolves.toMatchObject({ accessToken: 'tok-2' });
    });

    it('8: at expiresAt the token is no longer served: callers wait for the new one', async () => {
      const { clock, endpoint, service } = setup();
      const first = service.getPartnerToken();
      await flush();
      endpoint.answer();
      await first;
      clock.advance(LIFETIME);
      const next = service.getPartnerToken();
      await flush();
      endpoint.answer();
      await expect(next).resolves.toMatchObject({ accessToken: 'tok-2' });
    });

    it('9/10: the skew is clamped to half the lifetime; the lifetime counts from when the request was sent', async () => {
      const { clock, endpoint, service } = setup({ tokenRefreshSkewMs: 300_000 });
      const first = service.getPartnerToken();
      await flush();
      endpoint.answer(10_000, 4_000);
      const token = await first;
      expect(token.expiresAt).toBe(clock.now() + 6_000);
      clock.advance(999); // refreshAt = expiresAt - 5 s = now + 1 s
      await service.getPartnerToken();
      expect(endpoint.requests).toHaveLength(1);
      clock.advance(1);
      await service.getPartnerToken();
      await flush();
      expect(endpoint.requests).toHaveLength(2);
    });

    it('5: a token that expired on arrival is an error, not a cached token', async () => {
      const { endpoint, service } = setup();
      const call = service.getPartnerToken();
      await flush();
      endpoint.answer(1_000, 1_000);
      await expect(call).rejects.toBeInstanceOf(MoniteUnavailableError);
    });

    it('16: an older token never overwrites a newer one already stored', async () => {
      const { clock, endpoint, service, store } = setup();
      const call = service.getPartnerToken();
      await flush();
      const newer = clock.now() + 2 * LIFETIME;
      await store.set(PARTNER_KEY, {
        accessToken: 'newer',
        tokenType: 'Bearer',
        expiresAt: newer,
        refreshAt: newer - SKEW,
      });
      endpoint.answer();
      await expect(call).resolves.toMatchObject({ accessToken: 'newer' });
    });
  });

  describe('44: one identity, one spelling', () => {
    it('44: the same user in upper and lower case is one key and one request', async () => {
      const { endpoint, service } = setup();
      const calls = [service.getEntityUserToken(ALICE), service.getEntityUserToken(ALICE.toUpperCase())];
      await flush();
      expect(endpoint.requests).toEqual([{ grant: 'entity_user', entityUserId: ALICE }]);
      endpoint.answer();
      const [lower, upper] = await Promise.all(calls);
      expect(upper).toEqual(lower);
    });

    it.each([undefined, '', 'not-a-uuid', `${ALICE}x`, 42])(
      '2: entityUserId %p is refused before any request',
      async (id) => {
        const { endpoint, service } = setup();
        await expect(service.getEntityUserToken(id as string)).rejects.toThrow('entityUserId must be a UUID');
        await expect(service.getEntityUserToken(ALICE, { entityId: 'nope' })).rejects.toBeInstanceOf(
          MoniteValidationError,
        );
        expect(endpoint.requests).toEqual([]);
      },
    );

    it('3: the oauth2 profile has no entity user tokens', async () => {
      const { service } = setup({
        tokenEndpoint: { profile: 'oauth2', url: 'http://127.0.0.1:9/oauth2/token' },
      });
      await expect(service.getEntityUserToken(ALICE)).rejects.toBeInstanceOf(MoniteConfigurationError);
    });
  });

  describe('45: revocation and invalidation', () => {
    async function aliceToken(fixture: ReturnType<typeof setup>, spelling = ALICE) {
      const call = fixture.service.getEntityUserToken(spelling, { entityId: ENTITY });
      await flush();
      fixture.endpoint.answer();
      return (await call).accessToken;
    }

    it('44/45: revoking delivers the user (lower case) here and publishes it, then calls Monite; the token is gone', async () => {
      const fixture = setup();
      const token = await aliceToken(fixture, ALICE.toUpperCase());
      await fixture.service.revokeToken(token);
      const invalidation = { kind: 'entity_user', entityUserId: ALICE };
      expect(fixture.delivered).toEqual([invalidation]);
      expect(fixture.store.published).toEqual([invalidation]);
      expect(fixture.endpoint.revoked).toEqual([token]);
      expect(fixture.store.deletedTokens).toEqual([[token, expect.stringContaining(`:user:${ALICE}`)]]);
      const next = fixture.service.getEntityUserToken(ALICE);
      await flush();
      fixture.endpoint.answer();
      await expect(next).resolves.not.toMatchObject({ accessToken: token });
    });

    it('30: revocation failing at Monite still evicted and invalidated first; the failure is thrown', async () => {
      const fixture = setup();
      const token = await aliceToken(fixture);
      fixture.endpoint.revokeFailure = new MoniteUnavailableError('down');
      await expect(fixture.service.revokeToken(token)).rejects.toBe(fixture.endpoint.revokeFailure);
      expect(fixture.delivered).toHaveLength(1);
      await expect(fixture.store.get(fixture.store.deletedTokens[0]![1]!)).resolves.toBeUndefined();
    });

    it('45: a token another replica fetched: with the owner hint, its key is deleted and the user invalidated (review finding)', async () => {
      // Before: the role was dropped only on the replica that minted the token.
      const fixture = setup();
      await fixture.service.evictToken('minted-elsewhere-token', { entityUserId: BOB.toUpperCase() });
      expect(fixture.store.deletedTokens).toEqual([
        ['minted-elsewhere-token', expect.stringContaining(`:user:${BOB}`)],
      ]);
      expect(fixture.delivered).toEqual([{ kind: 'entity_user', entityUserId: BOB }]);
      expect(fixture.store.published).toEqual(fixture.delivered);
    });

    it('45: without a hint, an unknown token is looked for under the partner key and nobody is invalidated', async () => {
      const fixture = setup();
      await fixture.service.revokeToken('unknown-token-0123');
      expect(fixture.store.deletedTokens).toEqual([
        ['unknown-token-0123', expect.stringMatching(/:partner$/)],
      ]);
      expect(fixture.delivered).toEqual([]);
      expect(fixture.endpoint.revoked).toEqual(['unknown-token-0123']);
    });

    it('17: revoke while a fetch for the key is in flight: its waiters get the token, the cache does not keep it', async () => {
      const fixture = setup();
      const old = await aliceToken(fixture);
      await fixture.service.evictToken(old);
      const waiting = fixture.service.getEntityUserToken(ALICE);
      await flush();
      await fixture.service.revokeToken(old);
      fixture.endpoint.answer();
      const received = await waiting;
      const next = fixture.service.getEntityUserToken(ALICE);
      await flush();
      expect(fixture.endpoint.waiting).toBe(1);
      fixture.endpoint.answer();
      await expect(next).resolves.not.toEqual(received);
    });

    it('16/24: evicting keeps a request in flight for the key: callers after the 401 share it', async () => {
      const fixture = setup();
      const old = await aliceToken(fixture);
      fixture.clock.advance(LIFETIME - SKEW); // refresh starts in the background
      await fixture.service.getEntityUserToken(ALICE);
      await flush();
      await fixture.service.evictToken(old);
      const after = [fixture.service.getEntityUserToken(ALICE), fixture.service.getEntityUserToken(ALICE)];
      await flush();
      expect(fixture.endpoint.requests).toHaveLength(2);
      fixture.endpoint.answer();
      const [a, b] = await Promise.all(after);
      expect(a).toEqual(b);
      expect(a.accessToken).not.toBe(old);
    });

    it('45: invalidateEntityUser drops the token and any request in flight, delivers and publishes', async () => {
      const fixture = setup();
      await aliceToken(fixture);
      const inFlight = fixture.service.getEntityUserToken(BOB);
      await flush();
      await fixture.service.invalidateEntityUser(ALICE.toUpperCase());
      await fixture.service.invalidateEntityUser(BOB);
      fixture.endpoint.answer();
      await inFlight; // Bob's waiters still get theirs
      expect(fixture.delivered).toEqual([
        { kind: 'entity_user', entityUserId: ALICE },
        { kind: 'entity_user', entityUserId: BOB },
      ]);
      expect(fixture.store.published).toEqual(fixture.delivered);
      const again = [fixture.service.getEntityUserToken(ALICE), fixture.service.getEntityUserToken(BOB)];
      await flush();
      expect(fixture.endpoint.waiting).toBe(2);
      fixture.endpoint.answer();
      fixture.endpoint.answer();
      await Promise.all(again);
      await expect(fixture.service.invalidateEntityUser('nope')).rejects.toBeInstanceOf(
        MoniteValidationError,
      );
    });

    it('45: invalidateEntity drops the tokens of that entity’s users (asked for with entityId), not others', async () => {
      const fixture = setup();
      await aliceToken(fixture);
      const bob = fixture.service.getEntityUserToken(BOB, { entityId: OTHER_ENTITY });
      await flush();
      fixture.endpoint.answer();
      const bobToken = await bob;
      await fixture.service.invalidateEntity(ENTITY.toUpperCase());
      expect(fixture.delivered).toEqual([{ kind: 'entity', entityId: ENTITY }]);
      expect(fixture.store.published).toEqual(fixture.delivered);
      await expect(fixture.service.getEntityUserToken(BOB)).resolves.toEqual(bobToken);
      fixture.service.getEntityUserToken(ALICE).catch(() => undefined);
      await flush();
      expect(fixture.endpoint.waiting).toBe(1);
    });

    it('45: what another replica publishes is delivered here, stops a request in flight from being kept, and is not published again', async () => {
      const fixture = setup();
      const inFlight = fixture.service.getEntityUserToken(ALICE);
      await flush();
      fixture.store.listener!({ kind: 'entity_user', entityUserId: ALICE });
      fixture.store.listener!({ kind: 'all' });
      fixture.endpoint.answer();
      await inFlight;
      expect(fixture.delivered).toEqual([{ kind: 'entity_user', entityUserId: ALICE }, { kind: 'all' }]);
      expect(fixture.store.published).toEqual([]);
      fixture.service.getEntityUserToken(ALICE).catch(() => undefined);
      await flush();
      expect(fixture.endpoint.waiting).toBe(1); // the token fetched meanwhile was not kept
    });

    it('stops listening to the store at shutdown', () => {
      const fixture = setup();
      fixture.service.onModuleDestroy();
      expect(fixture.store.unsubscribed).toBe(true);
    });
  });

  describe('46: the rate-limit window', () => {
    it('46: while it runs, a call needing a new token fails at once; a valid cached token is served and not refreshed', async () => {
      const fixture = setup();
      const first = fixture.service.getPartnerToken();
      await flush();
      fixture.endpoint.answer();
      const partner = await first;
      fixture.clock.advance(LIFETIME - SKEW); // due for refresh
      fixture.endpoint.rateLimitedUntil = fixture.clock.monotonic() + 5_000;

      await expect(fixture.service.getPartnerToken()).resolves.toEqual(partner);
      const error = await fixture.service.getEntityUserToken(ALICE).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MoniteRateLimitError);
      await flush();
      expect(fixture.endpoint.requests).toHaveLength(1);

      fixture.clock.advance(5_000);
      await fixture.service.getPartnerToken();
      await flush();
      expect(fixture.endpoint.requests).toHaveLength(2); // the refresh, now
    });
  });

  describe('what the store is told', () => {
    it('18/47: coordinateMint gets the longest a mint can take', async () => {
      const fixture = setup();
      const call = fixture.service.getPartnerToken();
      await flush();
      fixture.endpoint.answer();
      await call;
      expect(fixture.store.mintLimits).toEqual([{ maxMintMs: 42_000 }]);
    });

    it('the store gets HKDF key material from the credentials once, never the secret', () => {
      const fixture = setup();
      const expected = new Uint8Array(
        hkdfSync('sha256', SECRET, CLIENT, 'nestjs-monite-auth token store sealing v1', 32),
      );
      expect(fixture.store.sealingKeys).toEqual([expected]);
      expect(Buffer.from(expected).toString('utf8')).not.toContain(SECRET);
    });

    it('19: a store that fails to read is a miss: the token is fetched', async () => {
      const fixture = setup();
      fixture.store.get = () => Promise.reject(new Error('redis://user:password@host down'));
      fixture.store.peek = () => undefined;
      const calls = [fixture.service.getPartnerToken(), fixture.service.getPartnerToken()];
      await flush();
      fixture.endpoint.answer();
      await expect(Promise.all(calls)).resolves.toHaveLength(2);
    });
  });

  it('42: no token, key or secret shows when the service is inspected or serialised', async () => {
    const fixture = setup();
    const tokens: string[] = [];
    for (const call of [fixture.service.getPartnerToken(), fixture.service.getEntityUserToken(ALICE)]) {
      await flush();
      fixture.endpoint.answer();
      tokens.push((await call).accessToken);
    }
    await fixture.service.getPartnerToken(); // a warm hit: its answer is kept for the next one
    const pending = fixture.service.getEntityUserToken(BOB); // a flight in progress
    await flush();
    const rendered = [
      inspect(fixture.service, { depth: Infinity, showHidden: true, getters: true, customInspect: false }),
      JSON.stringify(fixture.service),
      String(fixture.service),
      inspect(fixture.store, { depth: Infinity, showHidden: true, getters: true, customInspect: false }),
    ].join('\n');
    for (const secret of [SECRET, ...tokens]) expect(rendered).not.toContain(secret);
    fixture.endpoint.answer();
    await pending;
  });

  it('a warm hit hands out the same frozen answer while the store returns the same entry', async () => {
    const fixture = setup();
    const first = fixture.service.getPartnerToken();
    await flush();
    fixture.endpoint.answer();
    await first;
    const warm = fixture.service.getPartnerToken();
    expect(fixture.service.getPartnerToken()).toBe(warm);
    const token = await warm;
    expect(Object.isFrozen(token)).toBe(true);
    const alice = fixture.service.getEntityUserToken(ALICE); // another key in between
    await flush();
    fixture.endpoint.answer();
    await alice;
    await fixture.service.getEntityUserToken(ALICE); // a warm hit on another key takes the kept answer's place
    const again = await fixture.service.getPartnerToken();
    expect(again).not.toBe(token);
    expect(again).toEqual(token);
    fixture.clock.advance(LIFETIME - SKEW);
    await expect(fixture.service.getPartnerToken()).resolves.toEqual(token); // due: served, refreshed behind
    await flush();
    fixture.endpoint.answer();
    await flush();
    await expect(fixture.service.getPartnerToken()).resolves.not.toEqual(token);
  });

  it('a handed-out token shows redacted when logged by mistake, and is the token as JSON', async () => {
    const fixture = setup();
    const call = fixture.service.getPartnerToken();
    await flush();
    const issued = fixture.endpoint.answer();
    const token = await call;
    expect(inspect(token)).not.toContain(issued);
    expect(`${token}`).not.toContain(issued);
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      accessToken: issued,
      tokenType: 'Bearer',
      expiresAt: token.expiresAt,
    });
  });
});
