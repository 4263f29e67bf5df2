import { afterEach, describe, expect, it } from '@jest/globals';
import { EmulatorClock } from './clock.js';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_SEED } from './demo-seed.js';
import { startMoniteEmulator } from './emulator.js';
import type { MoniteEmulator, SeedClient } from './emulator.types.js';
import { RateLimiter, rateLimitHeaders } from './rate-limiter.js';
import { ApiClient } from './testing/api-client.js';

describe('RateLimiter', () => {
  it('allows `limit` hits per window per client, then refuses until the window ends', () => {
    const clock = new EmulatorClock(() => 0);
    const limiter = new RateLimiter(2, 1000, clock);
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(400);
    expect(limiter.hit('a')).toEqual({ allowed: false, limit: 2, remaining: 0, resetMs: 600 });
    expect(limiter.hit('b')).toMatchObject({ allowed: true }); // per client
    clock.advance(600);
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('headers: RateLimit-* and X-RateLimit-*-Second, Retry-After in whole seconds on a refusal', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 30, remaining: 0, resetMs: 1200 })).toEqual({
      'RateLimit-Limit': '30',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '2',
      'X-RateLimit-Limit-Second': '30',
      'X-RateLimit-Remaining-Second': '0',
      'Retry-After': '2',
    });
    expect(rateLimitHeaders({ allowed: true, limit: 30, remaining: 29, resetMs: 10 })).not.toHaveProperty(
      'Retry-After',
    );
  });

  it('refuses a nonsensical limit', () => {
    expect(() => new RateLimiter(0, 1000, new EmulatorClock())).toThrow(RangeError);
  });
});

describe('rate limiting over HTTP', () => {
  let emulator: MoniteEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  const OTHER: SeedClient = {
    clientId: '00000000-0000-4000-8000-000000000002',
    clientSecret: 'other-secret',
  };

  it('429 with Retry-After and rate-limit headers past the limit, per client; the next window opens with the clock', async () => {
    // A long window on the emulator clock: the test never races a real second boundary.
    emulator = await startMoniteEmulator({
      port: 0,
      rateLimitPerSecond: 3,
      rateLimitWindowMs: 60_000,
      seed: { ...DEMO_SEED, clients: [DEMO_CLIENT, OTHER] },
    });
    const api = new ApiClient(emulator);
    const token = await api.partnerToken(); // 1
    const first = await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id }); // 2
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-limit-second')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-second')).toBe('1');
    expect((await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(200); // 3
    const refused = await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.body).toEqual({ error: { message: 'API rate limit exceeded' } });
    // The token endpoint counts against the client named in the body, too.
    expect(
      (
        await api.tokenRequest({
          grant_type: 'client_credentials',
          client_id: DEMO_CLIENT.clientId,
          client_secret: DEMO_CLIENT.clientSecret,
        })
      ).status,
    ).toBe(429);

    // Another client has its own budget.
    expect((await new ApiClient(emulator, OTHER).partnerToken()).length).toBeGreaterThan(0);

    emulator.advanceClock(60_000);
    expect((await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(200);
  });

  it('is off by default programmatically: no 429, no headers', async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    const api = new ApiClient(emulator);
    const token = await api.partnerToken();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results[0]!.headers.get('ratelimit-limit')).toBeNull();
  });

  it('reset() clears the windows', async () => {
    emulator = await startMoniteEmulator({ port: 0, rateLimitPerSecond: 1, rateLimitWindowMs: 60_000 });
    const api = new ApiClient(emulator);
    await api.partnerToken();
    await expect(api.partnerToken()).rejects.toThrow('429');
    emulator.reset();
    await expect(api.partnerToken()).resolves.toEqual(expect.any(String));
  });
});
