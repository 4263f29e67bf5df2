import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MoniteAuthError,
  MoniteMalformedResponseError,
  MoniteRateLimitError,
  MoniteUnavailableError,
} from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { moniteErrorFromResponse, parseJsonBody } from '../errors/monite-error-response.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { exchangeWithMonite, type MoniteExchangeResult } from './monite-http-exchange.js';
import { MONITE_AUTH_CLOCK, clockDeadline, type MoniteClock } from './monite-clock.js';
import { RateLimitWindow } from './rate-limit-window.js';
import { RetryPolicy, type FailedAttempt } from './retry-policy.js';
import { parseTokenResponse } from './token-response.js';
import {
  revokeWireRequest,
  tokenWireRequest,
  type TokenGrantRequest,
  type WireRequest,
} from './token-wire-request.js';

export type { TokenGrantRequest } from './token-wire-request.js';

/** A token as the endpoint issued it. */
export interface IssuedToken {
  accessToken: string;
  /** `expires_in`, in milliseconds. */
  lifetimeMs: number;
  /** Monotonic time from sending the successful attempt until now: the token's age on arrival. */
  elapsedMs: number;
}

/** An exchange's result, an answer dated from when its attempt was sent. */
type AttemptResult =
  | (Extract<MoniteExchangeResult, { kind: 'response' }> & { sentAt: number })
  | Exclude<MoniteExchangeResult, { kind: 'response' }>;

interface ExchangeKind {
  operation: string;
  entityUserGrant?: boolean;
  /** Scrubbed from the answer besides the client secret (the token being revoked). */
  extraSecrets?: string[];
}

/** Largest answer read from the token endpoint; a longer one (a stream that never ends) is cut off. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * The wire to the token and revocation endpoints, on `@nestjs/axios`: builds the request for the
 * configured profile, applies the retry policy, the concurrency bound and the deadlines, remembers
 * a rate limit, validates the answer and maps failures to the library's errors. No axios error,
 * request config or header ever leaves this class.
 *
 * Bounds: every attempt ends within `requestTimeoutMs` (sending to last byte, at most
 * {@link MAX_TOKEN_RESPONSE_BYTES}); a whole call, time queued behind `maxConcurrentTokenRequests`
 * included, within {@link callBudgetMs} of the clock's monotonic time. After a 429 that ended the
 * retries, token requests fail at once with `MoniteRateLimitError` until its `Retry-After` has passed.
 */
@Injectable()
export class TokenEndpointClient {
  private readonly logger = new Logger('MoniteAuth');
  private readonly retryPolicy: RetryPolicy;
  private readonly limiter: ConcurrencyLimiter;
  private readonly rateLimit: RateLimitWindow;
  /** `requestTimeoutMs x (maxRetries + 1)` plus the longest waits between attempts: one call's deadline. */
  readonly callBudgetMs: number;

  constructor(
    private readonly http: HttpService,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMoniteAuthOptions,
    @Inject(MONITE_AUTH_CLOCK) private readonly clock: MoniteClock,
  ) {
    this.retryPolicy = new RetryPolicy(options.retry);
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentTokenRequests);
    this.rateLimit = new RateLimitWindow(clock);
    this.callBudgetMs =
      options.requestTimeoutMs * (options.retry.maxRetries + 1) + this.retryPolicy.maxTotalDelayMs();
  }

  /**
   * While a 429 that ended the retries is within its `Retry-After`: the error a token request gets
   * instead of being sent (`retryAfterMs` the time left, `code: 'rate_limit_window'`). Else `undefined`.
   */
  rateLimitRejection(operation: string): MoniteRateLimitError | undefined {
    const waitMs = this.rateLimit.remainingMs();
    if (waitMs === 0) return undefined;
    return new MoniteRateLimitError(
      `nestjs-monite-auth: ${operation} not sent: Monite rate-limited this client; try again in ${waitMs} ms`,
      { status: 429, retryAfterMs: waitMs, code: 'rate_limit_window', origin: 'token_endpoint' },
    );
  }

  /** Requests a token, retrying per the policy. Throws a `MoniteAuthError` subclass. */
  async requestToken(request: TokenGrantRequest, signal: AbortSignal): Promise<IssuedToken> {
    const operation = request.grant === 'entity_user' ? 'entity user token request' : 'partner token request';
    const rateLimited = this.rateLimitRejection(operation);
    if (rateLimited !== undefined) throw rateLimited;
    const wire = tokenWireRequest(this.options, request);
    const kind = { operation, entityUserGrant: request.grant === 'entity_user' };
    const result = await this.exchange(kind, wire, signal);
    if (result.status !== 200 && result.status !== 201) {
      throw this.malformed(operation, `status ${result.status} is not a token response`, result.status);
    }
    const parsed = parseTokenResponse(result.body);
    if ('problem' in parsed) throw this.malformed(operation, parsed.problem, result.status);
    return {
      accessToken: parsed.accessToken,
      lifetimeMs: Math.floor(parsed.expiresInSeconds * 1000),
      elapsedMs: Math.max(0, this.clock.monotonic() - result.sentAt),
    };
  }

  /**
   * `POST /auth/revoke` with the token as Bearer and `{client_id, client_secret, token}`.
   * Any 2xx is a success (RFC 7009 2.2: an unknown or already revoked token is one too).
   */
  async revoke(accessToken: string, signal: AbortSignal): Promise<void> {
    const wire = revokeWireRequest(this.options, accessToken);
    await this.exchange({ operation: 'token revocation', extraSecrets: [accessToken] }, wire, signal);
  }

  /** Sends with retries until a 2xx (returned) or a final failure (thrown), within one deadline. */
  private async exchange(
    kind: ExchangeKind,
    wire: WireRequest,
    signal: AbortSignal,
  ): Promise<Extract<AttemptResult, { kind: 'response' }>> {
    // One signal for the call: the module shutting down or the deadline passing ends it. Listeners,
    // not AbortSignal.any, so that nothing stays attached to the long-lived shutdown signal.
    const deadlineAt = this.clock.monotonic() + this.callBudgetMs;
    const deadline = clockDeadline(this.clock, this.callBudgetMs);
    const call = new AbortController();
    const end = () => call.abort();
    signal.addEventListener('abort', end, { once: true });
    deadline.signal.addEventListener('abort', end, { once: true });
    if (signal.aborted) end();
    try {
      return await this.attempts(kind, wire, signal, call.signal, deadlineAt);
    } finally {
      signal.removeEventListener('abort', end);
      deadline.dispose();
    }
  }

  /**
   * `signal`: the module's (shutdown); `call`: aborted by shutdown or by the call's deadline;
   * `deadlineAt`: that deadline, in the clock's monotonic time.
   */
  private async attempts(
    kind: ExchangeKind,
    wire: WireRequest,
    signal: AbortSignal,
    call: AbortSignal,
    deadlineAt: number,
  ): Promise<Extract<AttemptResult, { kind: 'response' }>> {
    const { operation } = kind;
    for (let attempt = 0; ; attempt++) {
      const result = await this.limiter
        .run(() => this.send(wire, call), call)
        .catch((): AttemptResult => ({ kind: 'aborted' }));
      if (result.kind === 'aborted') throw this.interrupted(operation, signal);
      if (result.kind === 'response' && result.status >= 200 && result.status < 300) return result;

      const failure: FailedAttempt =
        result.kind === 'response' ? { status: result.status, retryAfter: result.retryAfter } : {};
      const error = this.failed(kind, result);
      const decision = this.retryPolicy.decide(failure, attempt, this.clock.now());
      // A wait that would outlast the deadline is not started: the failure is final now.
      if (!decision.retry || decision.delayMs >= deadlineAt - this.clock.monotonic()) {
        if (error instanceof MoniteRateLimitError) this.rateLimit.open(error.retryAfterMs);
        throw error;
      }
      const what =
        failure.status === undefined ? describeNetworkError(error.code) : `status ${failure.status}`;
      this.logger.debug(
        `${operation}: ${what} on attempt ${attempt + 1}; retrying in ${decision.delayMs} ms`,
      );
      try {
        await this.clock.sleep(decision.delayMs, call);
      } catch {
        throw this.interrupted(operation, signal);
      }
    }
  }

  /** The library error for a failed attempt, built from the status and Monite's words only. */
  private failed(kind: ExchangeKind, result: Exclude<AttemptResult, { kind: 'aborted' }>): MoniteAuthError {
    if (result.kind === 'network') {
      return new MoniteUnavailableError(
        `nestjs-monite-auth: ${kind.operation} failed: ${describeNetworkError(result.code)}`,
        { code: result.code, origin: 'token_endpoint' },
      );
    }
    return moniteErrorFromResponse({
      status: result.status,
      body: parseJsonBody(result.body),
      retryAfter: result.retryAfter,
      now: this.clock.now(),
      operation: kind.operation,
      tokenEndpoint: true,
      entityUserGrant: kind.entityUserGrant,
      secrets: this.options.credentials.scrubber.with(...(kind.extraSecrets ?? [])),
    });
  }

  /** One attempt, dated from when it was sent (the token's age on arrival). */
  private async send(wire: WireRequest, call: AbortSignal): Promise<AttemptResult> {
    const sentAt = this.clock.monotonic();
    const result = await exchangeWithMonite(
      this.http,
      {
        method: 'POST',
        url: wire.url,
        headers: wire.headers,
        body: wire.body,
        timeoutMs: this.options.requestTimeoutMs,
        maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES,
      },
      call,
    );
    return result.kind === 'response' ? { ...result, sentAt } : result;
  }

  private malformed(operation: string, problem: string, status: number): MoniteMalformedResponseError {
    return new MoniteMalformedResponseError(
      `nestjs-monite-auth: ${operation} failed: Monite answered ${status} with a malformed body (${problem})`,
      { status, origin: 'token_endpoint' },
    );
  }

  /** The call ended by the module shutting down, or by its deadline. */
  private interrupted(operation: string, signal: AbortSignal): MoniteUnavailableError {
    if (signal.aborted) {
      return new MoniteUnavailableError(
        `nestjs-monite-auth: ${operation} aborted: the module is shutting down`,
        {
          code: 'ABORTED',
          origin: 'token_endpoint',
        },
      );
    }
    return new MoniteUnavailableError(
      `nestjs-monite-auth: ${operation} failed: no answer within its deadline of ${this.callBudgetMs} ms (time queued included)`,
      { code: 'ETIMEDOUT', origin: 'token_endpoint' },
    );
  }
}

function describeNetworkError(code: string | undefined): string {
  if (code === 'ETIMEDOUT') return 'no answer before the timeout';
  if (code === 'ETOOLARGE') return `the answer exceeded ${MAX_TOKEN_RESPONSE_BYTES} bytes`;
  return `Monite could not be reached (${code ?? 'ENETWORK'})`;
}
