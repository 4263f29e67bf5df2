import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { MoniteAuthError, MoniteUnavailableError } from '../errors/index.js';
import { toMoniteHttpException } from '../errors/monite-http-exception.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { MAX_TIMER_MS, MONITE_AUTH_CLOCK, systemClock, type MoniteClock } from '../tokens/monite-clock.js';
import { MoniteTokenService } from '../tokens/monite-token.service.js';
import { RetryPolicy } from '../tokens/retry-policy.js';
import {
  fetchCallCredentials,
  readCallTarget,
  type MoniteCallCredentials,
  type MoniteCallTarget,
} from './monite-call-credentials.js';
import { MoniteCallErrors } from './monite-call-errors.js';
import { abortable, MoniteCallLoop, type MoniteSuccess } from './monite-call-loop.js';
import { callerHeaders, sendMoniteAttempt, type MoniteAttemptResult } from './monite-http-attempt.js';
import { buildMonitePath } from './monite-path.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  type MoniteHttpMethod,
  type MoniteRequestOptions,
} from './monite-request-options.js';
import { MoniteUrls } from './monite-url.js';

/** One call on its way: what every attempt of it needs. */
interface MoniteCall {
  readonly method: MoniteHttpMethod;
  /** `GET /payables/{id}`: the template, never the values, for messages. */
  readonly operation: string;
  readonly url: string;
  readonly body?: string;
  readonly options: MoniteRequestOptions;
  /** The call's signal and the module's shutdown, combined. */
  readonly signal: AbortSignal;
  credentials: MoniteCallCredentials;
  /** Every token the call used, scrubbed from its errors should Monite echo one. */
  readonly tokens: string[];
}

/**
 * The way controllers call Monite. Builds the path from a template (`/payables/{id}` with
 * `params`), picks the token for the security model and the caller, sets `Authorization`,
 * `x-monite-version` and `x-monite-entity-id`, replays once after a 401 with a fresh token, retries
 * idempotent calls through the module's retry policy, bounds each attempt by a deadline and a size
 * cap, and turns Monite's error bodies into Nest `HttpException`s (`MoniteHttpException`).
 */
@Injectable()
export class MoniteClient implements OnModuleDestroy {
  protected readonly logger = new Logger('MoniteAuth');
  protected readonly urls: MoniteUrls;
  protected readonly loop: MoniteCallLoop;
  protected readonly errors: MoniteCallErrors;
  /** Aborted at shutdown: attempts in flight and retry waits end instead of holding the process. */
  protected readonly lifecycle = new AbortController();

  constructor(
    protected readonly http: HttpService,
    protected readonly tokens: MoniteTokenService,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
    @Optional() @Inject(MONITE_AUTH_CLOCK) protected readonly clock: MoniteClock = systemClock,
  ) {
    this.urls = new MoniteUrls(options.apiUrl);
    this.loop = new MoniteCallLoop(new RetryPolicy(options.retry), clock, this.logger);
    this.errors = new MoniteCallErrors(options.credentials.scrubber);
    // Every call in flight listens on this one signal; hundreds at once is load, not a leak.
    setMaxListeners(0, this.lifecycle.signal);
  }

  /** `GET path`, e.g. `get('/payables/{id}', { params: { id }, user })`. */
  get<T = unknown>(path: string, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /** `POST path` with `body` as JSON. Not retried: Monite may have done the work. */
  post<T = unknown>(path: string, body?: unknown, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /** `PUT path` with `body` as JSON. */
  put<T = unknown>(path: string, body?: unknown, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  /** `PATCH path` with `body` as JSON. Not retried: Monite may have done the work. */
  patch<T = unknown>(path: string, body?: unknown, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  /** `DELETE path`. */
  delete<T = unknown>(path: string, options?: MoniteRequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Calls Monite at `path`, a template relative to the base URL (`/payables/{id}`, values in
   * `options.params`), and resolves to the parsed JSON body (undefined for an empty one).
   * A path, caller or header that cannot be sent safely is a `TypeError` (or, for an id that is
   * not a UUID, a `MoniteHttpException` of a `MoniteValidationError`) before any request; Monite's
   * failures reject with a `MoniteHttpException`.
   */
  async request<T = unknown>(
    method: MoniteHttpMethod,
    path: string,
    options: MoniteRequestOptions = {},
  ): Promise<T> {
    try {
      return await this.send<T>(method, path, options);
    } catch (error) {
      if (error instanceof MoniteAuthError) throw toMoniteHttpException(error);
      throw error;
    }
  }

  /** Aborts the calls in flight and their retry waits. */
  onModuleDestroy(): void {
    this.lifecycle.abort();
  }

  /** The whole call, failing with the library's own errors. Overridable, e.g. to add tracing. */
  protected async send<T>(method: MoniteHttpMethod, path: string, options: MoniteRequestOptions): Promise<T> {
    checkLimit(options.timeoutMs, 'timeoutMs', MAX_TIMER_MS);
    checkLimit(options.maxResponseBytes, 'maxResponseBytes', Number.MAX_SAFE_INTEGER);
    const url = this.buildUrl(path, options);
    const target = readCallTarget(options, this.options.securityModel);
    const headers = callerHeaders(options.headers);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.lifecycle.signal])
      : this.lifecycle.signal;
    const operation = this.options.credentials.scrubber.scrub(`${method} ${path}`);
    const aborted = () => this.abortedError(operation);

    const credentials = await abortable(this.getCredentials(target), signal, aborted);
    const tokens = [credentials.token.accessToken];
    const call: MoniteCall = { method, operation, url, body, options, signal, credentials, tokens };
    const answer = await this.loop.run(
      method,
      {
        send: () => this.sendOnce(call, headers),
        renewCredentials: () => this.renewCredentials(call, target),
        errorFor: (response) => this.errors.fromAnswer(response, operation, call.tokens, this.clock.now()),
        aborted,
        operation,
      },
      signal,
    );
    return this.parseBody<T>(answer, operation);
  }

  /** The checked absolute URL of a call: the path template filled, then parsed once more. */
  protected buildUrl(path: string, options: MoniteRequestOptions): string {
    return this.urls.build(buildMonitePath(path, options.params), options.query);
  }

  /** The token and entity for the caller and the security model. */
  protected getCredentials(target: MoniteCallTarget): Promise<MoniteCallCredentials> {
    return fetchCallCredentials(target, this.options.securityModel, this.tokens);
  }

  /**
   * After a 401: drops the refused token everywhere and takes a new one. Concurrent callers that
   * hit the same 401 share the token service's single refresh.
   */
  protected async renewCredentials(call: MoniteCall, target: MoniteCallTarget): Promise<void> {
    // The owner hint finds the token's store entry even when another replica minted it.
    await this.tokens.evictToken(call.credentials.token.accessToken, {
      entityUserId: call.credentials.entityUserId,
    });
    call.credentials = await this.getCredentials(target);
    call.tokens.push(call.credentials.token.accessToken);
  }

  /** One attempt with the call's current credentials. */
  protected sendOnce(call: MoniteCall, extraHeaders: Record<string, string>): Promise<MoniteAttemptResult> {
    const { credentials, options } = call;
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    headers['x-monite-version'] = this.options.apiVersion;
    headers.authorization = `Bearer ${credentials.token.accessToken}`;
    if (credentials.entityId !== undefined) headers['x-monite-entity-id'] = credentials.entityId;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return sendMoniteAttempt(
      this.http,
      {
        operation: call.operation,
        method: call.method,
        url: call.url,
        headers,
        body: call.body,
        timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
        maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      },
      call.signal,
    );
  }

  protected parseBody<T>(answer: MoniteSuccess, operation: string): T {
    const text = answer.body;
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MoniteUnavailableError(
        `nestjs-monite-auth: ${operation} failed: Monite answered ${answer.status} with a body that is not JSON`,
        { status: answer.status },
      );
    }
  }

  protected abortedError(operation: string): MoniteUnavailableError {
    const why = this.lifecycle.signal.aborted ? 'the module is shutting down' : 'its signal aborted';
    return new MoniteUnavailableError(`nestjs-monite-auth: ${operation} aborted: ${why}`, {
      code: 'ABORTED',
    });
  }
}

function checkLimit(value: number | undefined, name: string, max: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0 && value <= max)) {
    throw new TypeError(
      `nestjs-monite-auth: MoniteClient: options.${name} must be an integer from 1 to ${max}`,
    );
  }
}
