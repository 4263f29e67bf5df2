/*
 * TEST-CHECKLIST.md "Retries and faults" 20, 21 and 23 on the token endpoint, against the real
 * emulator over loopback HTTP (22 and 27 are in token-endpoint.e2e.spec.ts). The virtual clock
 * records every backoff instead of waiting it; 31 checks everything this file made the library
 * say or throw.
 */
import type { MoniteEmulator } from 'monite-emulator';
import {
  MoniteRateLimitError,
  MoniteUnavailableError,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { rejection } from '../support/leak-ledger.js';
import { bootTokens, startEmulator, userId, type TokenHarness, canaryLedger } from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';

describe('token endpoint retries and faults (emulator over loopback)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  let harness: TokenHarness | undefined;
  const boot = async (options: Partial<MoniteAuthModuleOptions> = {}) => {
    harness = await bootTokens(emulator, ledger, options);
    return harness;
  };
  const faults = (count: number, fault: Parameters<MoniteEmulator['fault']>[1]) => {
    for (let i = 0; i < count; i++) emulator.fault(TOKEN_ROUTE, fault);
  };

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

  it('20: 429 with Retry-After: 2 waits 2 s, then succeeds', async () => {
    const { tokens, clock } = await boot();
    faults(1, { status: 429, retryAfter: '2' });

    await expect(tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });

    expect(clock.sleeps).toEqual([2_000]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('20: 429 with an HTTP-date Retry-After waits until that date', async () => {
    const { tokens, clock } = await boot();
    faults(1, { status: 429, retryAfter: new Date(clock.now() + 5_000).toUTCString() });

    await tokens.getEntityUserToken(userId(1));

    expect(clock.sleeps).toEqual([5_000]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('20: when the retries run out, a MoniteRateLimitError carrying retryAfterMs; nothing cached', async () => {
    const { tokens, clock } = await boot({ retry: { maxRetries: 2 } });
    faults(3, { status: 429, retryAfter: '3' });

    const error = await rejection(tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteRateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_000 });
    expect(clock.sleeps).toEqual([3_000, 3_000]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    clock.advance(3_000); // the window the last 429 opened
    await tokens.getPartnerToken();
    expect(emulator.count(TOKEN_ROUTE)).toBe(4);
  });

  it('20: a Retry-After beyond retry.maxRetryAfterMs is not waited: the error says how long to wait', async () => {
    const { tokens, clock } = await boot({ retry: { maxRetries: 3, maxRetryAfterMs: 10_000 } });
    faults(1, { status: 429, retryAfter: '3600' });

    const error = await rejection(tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(clock.sleeps).toEqual([]);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('46: after a 429 whose Retry-After exceeds the cap, new tokens fail at once without a request until it has passed; cached ones are served (review finding)', async () => {
    // Before: every next call asked Monite again at once.
    const { tokens, clock } = await boot({ retry: { maxRetries: 3, maxRetryAfterMs: 10_000 } });
    const cached = await tokens.getEntityUserToken(userId(1));
    faults(1, { status: 429, retryAfter: '60' });
    await rejection(tokens.getPartnerToken(), ledger);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);

    clock.advance(20_000);
    for (const call of [() => tokens.getPartnerToken(), () => tokens.getEntityUserToken(userId(2))]) {
      const error = await rejection(call(), ledger);
      expect(error).toBeInstanceOf(MoniteRateLimitError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 40_000, code: 'rate_limit_window' });
    }
    await expect(tokens.getEntityUserToken(userId(1))).resolves.toEqual(cached);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);

    clock.advance(40_000);
    await expect(tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
  });

  it('21: 503 twice, then 200: two bounded exponential backoffs, then the token', async () => {
    const { tokens, clock } = await boot({ retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 } });
    faults(2, { status: 503 });

    await expect(tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });

    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    // Full jitter: uniform in [0, base * 2^attempt].
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(100);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('21: ECONNRESET twice, then 200: retried like a 5xx, then the token', async () => {
    const { tokens, clock } = await boot({ retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 } });
    faults(2, { reset: true });

    await expect(tokens.getEntityUserToken(userId(2))).resolves.toMatchObject({ tokenType: 'Bearer' });

    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('21: 503 on every attempt: the retries stop at retry.maxRetries with a typed error', async () => {
    const { tokens, clock } = await boot({ retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 150 } });
    faults(3, { status: 503 });

    const error = await rejection(tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteUnavailableError);
    expect(error).toMatchObject({ status: 503 });
    expect(emulator.count(TOKEN_ROUTE)).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(150); // maxDelayMs caps the growth
  });

  it('23: the server hangs: the request is aborted at the timeout and every waiter is released', async () => {
    const { tokens } = await boot({ requestTimeoutMs: 300, retry: { maxRetries: 0 } });
    faults(1, { hang: true });

    const results = await Promise.allSettled(Array.from({ length: 20 }, () => tokens.getPartnerToken()));

    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    const reasons = new Set(results.map((result) => (result as PromiseRejectedResult).reason as Error));
    expect(reasons.size).toBe(1);
    const [error] = reasons;
    ledger.recordError(error);
    expect(error).toBeInstanceOf(MoniteUnavailableError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    // Not cached: the next call asks again.
    await expect(tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('23: a hang is a retryable failure: the next attempt gets the token', async () => {
    const { tokens, clock } = await boot({ requestTimeoutMs: 300, retry: { maxRetries: 1 } });
    faults(1, { hang: true });

    await expect(tokens.getEntityUserToken(userId(3))).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('31: no secret, token, Authorization value or base64 credentials in any log line, hook event or error', () => {
    expect(ledger.tokens.size).toBeGreaterThanOrEqual(6);
    expect(ledger.errors.length).toBeGreaterThanOrEqual(20);
    expect(ledger.lines('debug').length).toBeGreaterThan(5);
    expect(ledger.lines('warn').length).toBeGreaterThan(2);
    expect(ledger.events.some((event) => event.startsWith('onTokenFailed'))).toBe(true);
    expect(ledger.leaks()).toEqual([]);
  });
});
