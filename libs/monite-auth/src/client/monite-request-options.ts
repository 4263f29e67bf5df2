import type { MoniteCaller } from '../monite-identity.js';
import type { MonitePathParams } from './monite-path.js';

export type MoniteHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type MoniteQueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** Largest answer read from Monite unless `maxResponseBytes` says otherwise: 10 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** How one call to Monite is made. */
export interface MoniteRequestOptions {
  /**
   * Values of the path template's placeholders: `get('/payables/{id}', { params: { id } })`.
   * Each is encoded with `encodeURIComponent`. One that is not a string or finite number, is empty,
   * is `.` or `..` or holds `/` or `\\` (as it is or once percent-decoded), or names no placeholder,
   * is a `TypeError` before any request.
   */
  params?: MonitePathParams;
  /**
   * Who the call acts for. An entity user `{ entityUserId, entityId }`: the token follows the
   * security model (the user's own token in monite-managed and hybrid, the partner token with
   * `x-monite-entity-id` in partner-managed). `moniteAsPartner(entityId)`: the partner token on that
   * entity. Ids are UUIDs, compared case-insensitively; one that is not is refused before any request
   * (`MoniteValidationError`).
   */
  user?: MoniteCaller;
  /**
   * Says that a call without `user` is meant to use the partner token. Required in the
   * monite-managed model, where a forgotten `user` would otherwise run with the partner's rights
   * (a `TypeError` without it). Not allowed together with an entity user.
   */
  asPartner?: boolean;
  /** `x-monite-entity-id`; defaults to the user's entity, which it must equal (case-insensitively). */
  entityId?: string;
  /** Query string parameters; arrays repeat the key. */
  query?: Record<string, MoniteQueryValue>;
  /** JSON body. */
  body?: unknown;
  /**
   * Extra headers. `Authorization`, `x-monite-version`, `x-monite-entity-id`, `Host`,
   * `Content-Length`, `Transfer-Encoding` and `Connection` are the client's own and are ignored here.
   */
  headers?: Record<string, string>;
  /**
   * Deadline of each attempt, in ms, from sending to the last byte of the answer (not an idle
   * timer). Default: the module's `requestTimeoutMs`. Bound the whole call, retries included,
   * with `signal: AbortSignal.timeout(ms)`.
   */
  timeoutMs?: number;
  /** Largest answer read, in bytes; a bigger one fails with `MoniteUnavailableError`. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Aborts the call: its attempts, its retry waits and its wait for a token. */
  signal?: AbortSignal;
}
