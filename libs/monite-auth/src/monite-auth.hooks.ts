/**
 * Observability callbacks. Events name what happened and to which key, never the token or secret.
 * A hook that throws is logged and ignored: observability never breaks a request.
 */
import type { MoniteTokenGrant } from './monite-identity.js';

export interface MoniteTokenEvent {
  grant: MoniteTokenGrant;
  /** Set for `entity_user` grants. */
  entityUserId?: string;
  /** Epoch ms, for fetched and refreshed tokens. */
  expiresAt?: number;
  /** How long the token request took, in ms. */
  durationMs?: number;
}

export interface MoniteTokenFailureEvent extends MoniteTokenEvent {
  /** The error the callers got (a `MoniteAuthError`, safe to log). */
  error: Error;
}

export interface MoniteAccessDecisionEvent {
  allowed: boolean;
  /** Machine-readable reason, e.g. `allowed`, `allowed_for_own`, `not_allowed`, `no_user`, `role_unavailable`. */
  reason: string;
  entityUserId?: string;
  entityId?: string;
  objectType?: string;
  action?: string;
  /** Controller and handler, `PayablesController.approve`. */
  handler?: string;
}

export interface MoniteAuthHooks {
  onTokenFetched?(event: MoniteTokenEvent): void;
  onTokenRefreshed?(event: MoniteTokenEvent): void;
  onTokenFailed?(event: MoniteTokenFailureEvent): void;
  onTokenRevoked?(event: { entityUserId?: string }): void;
  onAccessDecision?(event: MoniteAccessDecisionEvent): void;
}
