/*
 * The token endpoint client's bounds, in virtual time, over a fake HttpService: one deadline per
 * call (queued time included), the rate-limit window a final 429 opens, scrubbing what a server
 * echoes. The real wire (sockets, size cap, timeouts) is proven in test/tokens/.
 */
import type { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { defer } from 'rxjs';
import { MoniteAuthError, MoniteRateLimitError, MoniteUnavailableError } from '../errors/index.js';
import { resolveMoniteAuthOptions } from '../monite-auth.options-validation.js';
import type { MoniteAuthModuleOptions } from '../monite-auth.options.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { TokenEndpointClient } from './token-endpoint.client.js';

const SECRET = 'endpoint-secret+/:=%~ 42';
const CLIENT = '11111111-1111-4111-8111-111111111111';
const USER = 'a0000000-0000-4000-8000-00000000000a';
const PARTNER = { grant: 'client_credentials' as const };

interface Answer {
  status: number;
  data?: string;
  headers?: Record<string, string>;
}

/** An HttpService whose requests the test answers one by one; an unanswered request hangs until aborted. */
class FakeHttp {
  readonly sent: AxiosRequestConfig[] = [];
  private readonly waiting: Array<{ resolve: (answer: Answer) => void }> = [];

  request(config: AxiosRequestConfig) {
    return defer(async () => {
      this.sent.push(config);
      const answer = await new Promise<Answer>((resolve, reject) => {
        this.waiting.push({ resolve });
        config.signal?.addEventListener?.('abort', () => reject(new Error('canceled')), { once: true });
      });
      return { status: answer.status, data: answer.data ?? '', headers: answer.headers ?? {}, config };
    });
  }

  /** Answers the oldest unanswered request. */
  answer(answer: Answer): void {
    this.waiting.shift()!.resolve(answer);
  }

  token(accessToken = 'tok-1'): void {
    this.answer({ status: 200, data: JSON.stringify({ access_token: accessToken, expires_in: 1800 }) });
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(overrides: Partial<MoniteAuthModuleOptions> = {}) {
  const clock = new VirtualMoniteClock();
  const http = new FakeHttp();
  const options = resolveMoniteAuthOptions({
    clientId: CLIENT,
    clientSecret: SECRET,
    apiUrl: 'http://127.0.0.1:9/v1',
    // Attempt timeouts are real time; large here so that only the virtual deadline ends a call.
    requestTimeoutMs: 600_000,
    maxConcurrentTokenRequests: 1,
    retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 },
    ...overrides,
  });
  const client = new TokenEndpointClient(http as unknown as HttpService, options, clock);
  const lifecycle = new AbortController();
  const request = (entityUserId?: string) =>
    client
      .requestToken(entityUserId ? { grant: 'entity_user', entityUserId } : PARTNER, lifecycle.signal)
      .then(
        (token) => token,
        (error: MoniteAuthError) => error,
      );
  return { clock, http, client, lifecycle, request };
}

describe('TokenEndpointClient', () => {
  it('47: the deadline is requestTimeoutMs x (maxRetries + 1) plus the longest waits between attempts', () => {
    const { client } = setup({
      requestTimeoutMs: 1_000,
      retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    });
    expect(client.callBudgetMs).toBe(3 * 1_000 + 2 * 5_000);
  });

  it('47: calls queued behind a hanging one leave the queue at their deadline, without a request (review finding)', async () => {
    // Before: time queued behind maxConcurrentTokenRequests was bounded by nothing.
    const { clock, http, client, request } = setup();
    const calls = [request(), request(USER), request(USER)];
    await flush();
    expect(http.sent).toHaveLength(1);

    clock.advance(client.callBudgetMs - 1);
    await flush();
    expect(clock.pendingTimeouts).toBe(3);
    clock.advance(1);
    const results = await Promise.all(calls);
    for (const result of results) {
      expect(result).toBeInstanceOf(MoniteUnavailableError);
      expect(result).toMatchObject({ code: 'ETIMEDOUT', origin: 'token_endpoint' });
    }
    expect((results[1] as Error).message).toMatch(/deadline of 600000 ms \(time queued included\)/);
    expect(http.sent).toHaveLength(1);
  });

  it('47: a queued call gets the slot when it frees, and still ends at its own deadline', async () => {
    const { clock, http, client, request } = setup();
    const first = request();
    await flush();
    clock.advance(1_000);
    const second = request(USER);
    await flush();
    http.token();
    await expect(first).resolves.toMatchObject({ accessToken: 'tok-1' });
    await flush();
    expect(http.sent).toHaveLength(2);
    clock.advance(client.callBudgetMs - 1);
    await flush();
    expect(clock.pendingTimeouts).toBe(1);
    clock.advance(1);
    await expect(second).resolves.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('47: a retry whose wait would outlast the deadline is not started: the failure is final at once', async () => {
    const { clock, http, client, request } = setup({
      retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 },
    });
    const first = request();
    const queued = request();
    await flush();
    clock.advance(client.callBudgetMs - 500); // the queued call has 500 ms left
    http.token();
    await first;
    await flush();
    http.answer({ status: 503, headers: { 'retry-after': '1' } });
    await expect(queued).resolves.toMatchObject({ status: 503 });
    expect(clock.sleeps).toEqual([]);
  });

  it('46: a 429 over the cap ends the retries and opens the window for every grant: no request until it has passed (review finding)', async () => {
    // Before: after a 429 whose Retry-After was over the cap, every next call asked Monite again at once.
    const { clock, http, request } = setup({ retry: { maxRetries: 3, maxRetryAfterMs: 10_000 } });
    const limited = request();
    await flush();
    http.answer({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(limited).resolves.toMatchObject({ status: 429, retryAfterMs: 3_600_000 });

    clock.advance(600_000);
    for (const call of [request(), request(USER)]) {
      const error = await call;
      expect(error).toBeInstanceOf(MoniteRateLimitError);
      expect(error).toMatchObject({ retryAfterMs: 3_000_000, code: 'rate_limit_window', status: 429 });
    }
    expect(http.sent).toHaveLength(1);

    clock.advance(3_000_000);
    const after = request();
    await flush();
    http.token('tok-after');
    await expect(after).resolves.toMatchObject({ accessToken: 'tok-after' });
  });

  it('46: a 429 without Retry-After that ends the retries opens a one-second window', async () => {
    const { clock, http, client, request } = setup();
    const limited = request();
    await flush();
    http.answer({ status: 429 });
    await limited;
    expect(client.rateLimitRejection('next')?.retryAfterMs).toBe(1_000);
    clock.advance(1_000);
    expect(client.rateLimitRejection('next')).toBeUndefined();
  });

  it('20: a 429 within the cap is waited for and retried; no window stays open', async () => {
    const { clock, http, client, request } = setup({ retry: { maxRetries: 1 } });
    const call = request();
    await flush();
    http.answer({ status: 429, headers: { 'retry-after': '2' } });
    await flush();
    http.token();
    await expect(call).resolves.toMatchObject({ accessToken: 'tok-1' });
    expect(clock.sleeps).toEqual([2_000]);
    expect(client.rateLimitRejection('next')).toBeUndefined();
  });

  it('the module shutting down ends a call with code ABORTED', async () => {
    const { lifecycle, request } = setup();
    const call = request();
    await flush();
    lifecycle.abort();
    await expect(call).resolves.toMatchObject({ code: 'ABORTED' });
  });

  it('49: every wire form of the secret a server echoes is scrubbed from the error', async () => {
    const { http, request } = setup({
      tokenEndpoint: { profile: 'oauth2', url: 'http://127.0.0.1:9/token', credentials: 'basic' },
    });
    const forms = [SECRET, encodeURIComponent(SECRET), Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')];
    const call = request();
    await flush();
    const basic = String((http.sent[0]!.headers as Record<string, string>).authorization).slice(
      'Basic '.length,
    );
    http.answer({
      status: 401,
      data: JSON.stringify({ error_code: 'invalid_client', error_message: `${forms.join(' ')} ${basic}` }),
    });
    const error = (await call) as MoniteAuthError;
    expect(error.moniteMessage).toBe('[redacted] [redacted] [redacted] [redacted]');
    for (const form of [...forms, basic]) expect(JSON.stringify(error)).not.toContain(form);
  });

  it('49: revocation scrubs the token being revoked from what Monite answers', async () => {
    const { http, client } = setup();
    const revoking = client
      .revoke('tok-being-revoked', new AbortController().signal)
      .catch((error: MoniteAuthError) => error);
    await flush();
    http.answer({ status: 422, data: JSON.stringify({ error: { message: 'bad token tok-being-revoked' } }) });
    const error = (await revoking) as MoniteAuthError;
    expect(error.moniteMessage).toBe('bad token [redacted]');
  });

  it('6: the entity_user grant answered 404 is a MoniteUnknownEntityUserError, not retried', async () => {
    const { http, request } = setup({ retry: { maxRetries: 3 } });
    const call = request(USER);
    await flush();
    http.answer({ status: 404, data: JSON.stringify({ error: { message: 'Entity user not found' } }) });
    await expect(call).resolves.toMatchObject({ name: 'MoniteUnknownEntityUserError', status: 404 });
    expect(http.sent).toHaveLength(1);
  });
});
