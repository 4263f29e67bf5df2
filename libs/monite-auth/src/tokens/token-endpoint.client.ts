import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AxiosResponseTransformer } from 'axios';
import { firstValueFrom } from 'rxjs';
import {
  MoniteAuthError,
  MoniteConfigurationError,
  MoniteMalformedResponseError,
  MoniteUnavailableError,
} from '../errors/index.js';
import type { MoniteTokenGrant } from '../monite-identity.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { moniteErrorFromResponse, parseJsonBody } from '../errors/monite-error-response.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { MONITE_AUTH_CLOCK, type MoniteClock } from './monite-clock.js';
import { basicCredentials, formBody, formUrlEncode } from './oauth2-form-encoding.js';
import { RetryPolicy, type FailedAttempt } from './retry-policy.js';
import { parseTokenResponse } from './token-response.js';

/** Which token to ask for. */
export interface TokenGrantRequest {
  grant: MoniteTokenGrant;
  /** Required for `entity_user`; a validated UUID. */
  entityUserId?: string;
}

/** A token as the endpoint issued it. */
export interface IssuedToken {
  accessToken: string;
  /** `expires_in`, in milliseconds. */
  lifetimeMs: number;
  /** Monotonic time from sending the successful attempt until now: the token's age on arrival. */
  elapsedMs: number;
}

interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string; body: string; sentAt: number }
  | { kind: 'network'; code: string }
  | { kind: 'aborted' };

const MAX_BODY_BYTES = 64 * 1024;
const keepText: AxiosResponseTransformer = (data: unknown) => data;

/**
 * The wire to the token and revocation endpoints, on `@nestjs/axios`: builds the request for the
 * configured profile (Monite JSON, or OAuth2 form with body or Basic credentials), applies the
 * timeout, retry policy and concurrency bound, validates the answer and maps failures to the
 * library's errors. No axios error, request config or header ever leaves this class.
 */
@Injectable()
export class TokenEndpointClient {
  private readonly logger = new Logger('MoniteAuth');
  private readonly retryPolicy: RetryPolicy;
  private readonly limiter: ConcurrencyLimiter;
  /** Every form the secret takes on the wire, scrubbed from anything a server sends back. */
  private readonly secretForms: string[];

  constructor(
    private readonly http: HttpService,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMoniteAuthOptions,
    @Inject(MONITE_AUTH_CLOCK) private readonly clock: MoniteClock,
  ) {
    this.retryPolicy = new RetryPolicy(options.retry);
    this.limiter = new ConcurrencyLimiter(options.maxConcurrentTokenRequests);
    const secret = options.clientSecret;
    this.secretForms = [
      secret,
      encodeURIComponent(secret),
      formUrlEncode(secret),
      JSON.stringify(secret).slice(1, -1),
      basicCredentials(options.clientId, secret),
    ];
  }

  /** Requests a token, retrying per the policy. Throws a `MoniteAuthError` subclass. */
  async requestToken(request: TokenGrantRequest, signal: AbortSignal): Promise<IssuedToken> {
    const operation = request.grant === 'entity_user' ? 'entity user token request' : 'partner token request';
    const wire = this.tokenWireRequest(request);
    const result = await this.exchange(operation, wire, signal, true);
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
    const url = this.options.revokeUrl;
    if (url === undefined) {
      throw new MoniteConfigurationError(
        'nestjs-monite-auth: token revocation needs tokenEndpoint.profile "monite"; the token was evicted locally',
      );
    }
    const wire: WireRequest = {
      url,
      headers: {
        ...this.commonHeaders(),
        'content-type': 'application/json',
        authorization: `Bearer ${accessToken}`,
      },
      body: JSON.stringify({
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        token: accessToken,
      }),
    };
    await this.exchange('token revocation', wire, signal, false, [accessToken]);
  }

  /** Sends with retries until a 2xx (returned) or a final failure (thrown). */
  private async exchange(
    operation: string,
    wire: WireRequest,
    signal: AbortSignal,
    tokenEndpoint: boolean,
    extraSecrets: string[] = [],
  ): Promise<Extract<AttemptResult, { kind: 'response' }>> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.limiter
        .run(() => this.send(wire, signal), signal)
        .catch((): AttemptResult => ({ kind: 'aborted' }));
      if (result.kind === 'aborted') throw this.shuttingDown(operation);
      if (result.kind === 'response' && result.status >= 200 && result.status < 300) return result;

      let failure: FailedAttempt;
      let error: MoniteAuthError;
      if (result.kind === 'response') {
        failure = { status: result.status, retryAfter: result.retryAfter };
        error = moniteErrorFromResponse({
          status: result.status,
          body: parseJsonBody(result.body),
          retryAfter: result.retryAfter,
          now: this.clock.now(),
          operation,
          tokenEndpoint,
          secrets: [...this.secretForms, ...extraSecrets],
        });
      } else {
        failure = {};
        error = new MoniteUnavailableError(
          `nestjs-monite-auth: ${operation} failed: ${describeNetworkError(result.code)}`,
          { code: result.code },
        );
      }
      const decision = this.retryPolicy.decide(failure, attempt, this.clock.now());
      if (!decision.retry) throw error;
      const what =
        failure.status === undefined ? describeNetworkError(error.code) : `status ${failure.status}`;
      this.logger.debug(
        `${operation}: ${what} on attempt ${attempt + 1}; retrying in ${decision.delayMs} ms`,
      );
      try {
        await this.clock.sleep(decision.delayMs, signal);
      } catch {
        throw this.shuttingDown(operation);
      }
    }
  }

  /** One attempt. Catches everything axios throws and keeps only a short error code from it. */
  private async send(wire: WireRequest, signal: AbortSignal): Promise<AttemptResult> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const sentAt = this.clock.monotonic();
    try {
      const response = await firstValueFrom(
        this.http.request<string>({
          method: 'POST',
          url: wire.url,
          headers: wire.headers,
          data: wire.body,
          signal: AbortSignal.any([signal, timeout]),
          responseType: 'text',
          transformResponse: keepText,
          validateStatus: () => true,
          // A redirect would carry the credentials to another URL: never follow one.
          maxRedirects: 0,
          maxContentLength: MAX_BODY_BYTES,
          maxBodyLength: MAX_BODY_BYTES,
        }),
      );
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'response',
        status: response.status,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        body: typeof response.data === 'string' ? response.data : '',
        sentAt,
      };
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' };
      if (timeout.aborted) return { kind: 'network', code: 'ETIMEDOUT' };
      return { kind: 'network', code: errorCode(error) };
    }
  }

  private tokenWireRequest(request: TokenGrantRequest): WireRequest {
    const { clientId, clientSecret, tokenEndpoint } = this.options;
    if (tokenEndpoint.profile === 'monite') {
      return {
        url: tokenEndpoint.url,
        headers: { ...this.commonHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: request.grant,
          client_id: clientId,
          client_secret: clientSecret,
          ...(request.grant === 'entity_user' ? { entity_user_id: request.entityUserId } : {}),
        }),
      };
    }
    if (request.grant !== 'client_credentials') {
      throw new MoniteConfigurationError(
        'nestjs-monite-auth: entity user tokens need tokenEndpoint.profile "monite"',
      );
    }
    // RFC 6749 2.3.1: credentials in the body or as HTTP Basic, never both.
    const fields: Array<[string, string]> = [['grant_type', 'client_credentials']];
    if (tokenEndpoint.scope.length > 0) fields.push(['scope', tokenEndpoint.scope.join(' ')]);
    const headers: Record<string, string> = {
      ...this.commonHeaders(),
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (tokenEndpoint.credentials === 'basic') {
      headers.authorization = `Basic ${basicCredentials(clientId, clientSecret)}`;
    } else {
      fields.push(['client_id', clientId], ['client_secret', clientSecret]);
    }
    return { url: tokenEndpoint.url, headers, body: formBody(fields) };
  }

  private commonHeaders(): Record<string, string> {
    return { accept: 'application/json', 'x-monite-version': this.options.apiVersion };
  }

  private malformed(operation: string, problem: string, status: number): MoniteMalformedResponseError {
    return new MoniteMalformedResponseError(
      `nestjs-monite-auth: ${operation} failed: Monite answered ${status} with a malformed body (${problem})`,
      { status },
    );
  }

  private shuttingDown(operation: string): MoniteUnavailableError {
    return new MoniteUnavailableError(
      `nestjs-monite-auth: ${operation} aborted: the module is shutting down`,
      {
        code: 'ABORTED',
      },
    );
  }
}

/** The error's `code` (e.g. `ECONNRESET`) when it looks like one; nothing else is read from it. */
function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'ENETWORK';
}

function describeNetworkError(code: string | undefined): string {
  if (code === 'ETIMEDOUT') return 'no answer before the timeout';
  return `Monite could not be reached (${code ?? 'ENETWORK'})`;
}
