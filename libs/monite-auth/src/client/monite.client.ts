import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import {
  MoniteAuthError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
} from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { moniteErrorFromResponse, parseJsonBody } from '../errors/monite-error-response.js';
import { MoniteTokenService } from '../tokens/monite-token.service.js';
import type { MoniteAccessToken } from '../tokens/monite-access-token.js';
import type { MoniteHttpMethod, MoniteQueryValue, MoniteRequestOptions } from './monite-request-options.js';
import { toMoniteHttpException } from '../errors/monite-http-exception.js';

/** Methods a 429 may be replayed on: repeating them cannot do the work twice. */
const IDEMPOTENT_METHODS: ReadonlySet<MoniteHttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** Headers the client owns; a caller cannot override them through `options.headers`. */
const RESERVED_HEADERS = new Set(['authorization', 'x-monite-version', 'x-monite-entity-id']);

/** The token a call is made with, and who it belongs to (for eviction after a 401). */
interface CallCredentials {
  token: MoniteAccessToken;
  entityId: string | undefined;
}

/**
 * The way controllers call Monite. Picks the token for the security model and the caller, sets
 * `Authorization`, `x-monite-version` and `x-monite-entity-id`, replays once after a 401 with a
 * fresh token, honours `Retry-After` on idempotent calls, and turns Monite's error bodies into
 * Nest `HttpException`s (`MoniteHttpException`) carrying Monite's message.
 */
@Injectable()
export class MoniteClient {
  protected readonly logger = new Logger('MoniteAuth');

  constructor(
    protected readonly http: HttpService,
    protected readonly tokens: MoniteTokenService,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
  ) {}

  get<T = unknown>(path: string, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T = unknown>(path: string, body?: unknown, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T = unknown>(path: string, body?: unknown, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete<T = unknown>(path: string, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Calls Monite at `path` (relative to the base URL, e.g. `/payables/{id}`; encode ids yourself)
   * and resolves to the parsed JSON body (undefined for an empty one). Failures reject with a
   * `MoniteHttpException`.
   */
  async request<T = unknown>(
    method: MoniteHttpMethod,
    path: string,
    options: MoniteRequestOptions = {},
  ): Promise<T> {
    const url = this.buildUrl(path, options.query);
    try {
      return await this.send<T>(method, url, options);
    } catch (error) {
      if (error instanceof MoniteAuthError) throw toMoniteHttpException(error);
      throw error;
    }
  }

  /** The whole call, failing with the library's own errors. Overridable, e.g. to add tracing. */
  protected async send<T>(method: MoniteHttpMethod, url: string, options: MoniteRequestOptions): Promise<T> {
    let credentials = await this.getCredentials(options);
    let rateLimitRetries = 0;
    let replayedAfter401 = false;
    for (;;) {
      const response = await this.sendOnce(method, url, credentials, options);
      if (response.status >= 200 && response.status < 300) return this.parseBody<T>(response);

      const error = moniteErrorFromResponse({
        status: response.status,
        body: parseJsonBody(response.data),
        retryAfter: response.headers['retry-after'],
        operation: `${method} ${redactPath(url.replace(this.options.apiUrl, ''))}`,
      });
      if (response.status === 401 && !replayedAfter401) {
        // The token died before its time (revoked, rotated). Drop it everywhere and replay once;
        // concurrent callers hitting the same 401 share the token service's single refresh.
        replayedAfter401 = true;
        await this.tokens.evictToken(credentials.token.accessToken);
        credentials = await this.getCredentials(options);
        continue;
      }
      if (
        error instanceof MoniteRateLimitError &&
        this.shouldRetryRateLimit(method, error, rateLimitRetries)
      ) {
        rateLimitRetries += 1;
        await sleep(error.retryAfterMs ?? 0);
        continue;
      }
      throw error;
    }
  }

  /**
   * The token and entity for a call (DESIGN.md "Security models"): the user's own token in the
   * monite-managed and hybrid models, the partner token scoped to the user's entity in the
   * partner-managed model, the partner token when there is no user.
   */
  protected async getCredentials(options: MoniteRequestOptions): Promise<CallCredentials> {
    const { user } = options;
    if (!user) return { token: await this.tokens.getPartnerToken(), entityId: options.entityId };
    if (options.entityId !== undefined && options.entityId !== user.entityId) {
      // Never let a user's call reach into another entity, whatever token it is made with.
      throw new MonitePermissionError("A call for an entity user may only target that user's entity", {
        moniteMessage: 'Cross-entity access is not allowed',
      });
    }
    const token =
      this.options.securityModel === 'partner-managed'
        ? await this.tokens.getPartnerToken()
        : await this.tokens.getEntityUserToken(user.entityUserId);
    return { token, entityId: user.entityId };
  }

  protected async sendOnce(
    method: MoniteHttpMethod,
    url: string,
    credentials: CallCredentials,
    options: MoniteRequestOptions,
  ): Promise<AxiosResponse<string>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
    headers['x-monite-version'] = this.options.apiVersion;
    headers.authorization = `Bearer ${credentials.token.accessToken}`;
    if (credentials.entityId !== undefined) headers['x-monite-entity-id'] = credentials.entityId;
    const hasBody = options.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';

    try {
      return await firstValueFrom(
        this.http.request<string>({
          method,
          url,
          headers,
          data: hasBody ? JSON.stringify(options.body) : undefined,
          timeout: options.timeoutMs ?? this.options.requestTimeoutMs,
          signal: options.signal,
          // We read every status and parse bodies ourselves: axios must neither throw on 4xx/5xx
          // nor guess at JSON.
          responseType: 'text',
          transformResponse: (data: unknown) => data,
          validateStatus: () => true,
          maxRedirects: 0,
        }),
      );
    } catch (error) {
      // Never rethrow the transport error: its config holds the Authorization header.
      const code = (error as { code?: unknown }).code;
      const reason = typeof code === 'string' ? code : 'network error';
      throw new MoniteUnavailableError(
        `Monite could not be reached (${reason}) on ${method} ${redactPath(url)}`,
        {
          code: typeof code === 'string' ? code : undefined,
        },
      );
    }
  }

  protected shouldRetryRateLimit(
    method: MoniteHttpMethod,
    error: MoniteRateLimitError,
    retries: number,
  ): boolean {
    if (!IDEMPOTENT_METHODS.has(method) || retries >= this.options.retry.maxRetries) return false;
    return error.retryAfterMs !== undefined && error.retryAfterMs <= this.options.retry.maxRetryAfterMs;
  }

  protected buildUrl(path: string, query: Record<string, MoniteQueryValue> | undefined): string {
    // Only paths under the configured base: no absolute URLs, no protocol-relative tricks, no `..`.
    if (
      !path.startsWith('/') ||
      path.startsWith('//') ||
      /(^|\/)\.\.?(\/|$)/.test(path) ||
      /[?#]/.test(path)
    ) {
      // A programming error, not Monite's answer: let it surface as such (a 500), never as a 503.
      throw new TypeError(`Invalid Monite path "${path}": use a path like /payables/{id} and options.query`);
    }
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
    }
    const queryString = search.toString();
    return `${this.options.apiUrl}${path}${queryString ? `?${queryString}` : ''}`;
  }

  protected parseBody<T>(response: AxiosResponse<string>): T {
    const text = response.data;
    if (typeof text !== 'string' || text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MoniteUnavailableError(`Monite answered ${response.status} with a body that is not JSON`, {
        status: response.status,
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The path of a URL without its query, for messages. */
function redactPath(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
