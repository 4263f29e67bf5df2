import type { MoniteEntityUserRef } from '../monite-identity.js';

export type MoniteHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type MoniteQueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** How one call to Monite is made. */
export interface MoniteRequestOptions {
  /**
   * Act for this entity user. The token follows the security model: the user's own token
   * (monite-managed, hybrid) or the partner token with `x-monite-entity-id` (partner-managed).
   * Without a user the call uses the partner token.
   */
  user?: MoniteEntityUserRef;
  /** `x-monite-entity-id`; defaults to `user.entityId`. Needed for partner calls on entity-scoped paths. */
  entityId?: string;
  /** Query string parameters; arrays repeat the key. */
  query?: Record<string, MoniteQueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Extra headers; `Authorization`, `x-monite-version` and `x-monite-entity-id` are the client's own. */
  headers?: Record<string, string>;
  /** Overrides `requestTimeoutMs` for this call. */
  timeoutMs?: number;
  signal?: AbortSignal;
}
