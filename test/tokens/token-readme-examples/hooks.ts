/* libs/monite-auth/README.md, "Hooks and logging". */

import type { MoniteAuthHooks } from 'nestjs-monite-auth';

/** Your metrics client (StatsD, Prometheus, ...) and audit log. */
export interface Metrics {
  increment(name: string, tags?: Record<string, string>): void;
  timing(name: string, ms: number, tags?: Record<string, string>): void;
}
export interface AuditLog {
  log(...parts: unknown[]): void;
}

/** The `hooks` option: `MoniteAuthModule.forRoot({ ..., hooks: moniteHooks(metrics, audit) })`. */
export function moniteHooks(metrics: Metrics, audit: AuditLog): MoniteAuthHooks {
  return {
    onTokenFetched: ({ grant, durationMs }) =>
      metrics.timing('monite.token.fetched', durationMs ?? 0, { grant }),
    onTokenRefreshed: ({ grant }) => metrics.increment('monite.token.refreshed', { grant }),
    onTokenFailed: ({ grant, error }) =>
      metrics.increment('monite.token.failed', { grant, type: error.name }),
    onTokenRevoked: ({ entityUserId }) => audit.log('monite token revoked', entityUserId),
    onAccessDecision: ({ allowed, reason, handler }) => {
      if (!allowed) audit.log('monite access denied', reason, handler);
    },
  };
}
