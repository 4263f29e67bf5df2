import { Injectable, Logger } from '@nestjs/common';

/**
 * Something cached about a caller is no longer true: a token was revoked or refused, a user's role
 * changed, a whole entity must be re-read. `all`: the process may have missed invalidations (a
 * shared store reconnected, or served from memory meanwhile), so nothing cached may be trusted.
 * Ids are normalised (`normalizeMoniteId`).
 */
export type MoniteInvalidation =
  | { readonly kind: 'entity_user'; readonly entityUserId: string }
  | { readonly kind: 'entity'; readonly entityId: string }
  | { readonly kind: 'all' };

export type MoniteInvalidationListener = (invalidation: MoniteInvalidation) => void;

/**
 * The in-process channel of invalidations. The token service announces revocations, evictions and
 * `invalidateEntityUser` / `invalidateEntity` here (its own and those a shared store relays from
 * other replicas); caches of other layers, such as the guard's role cache, listen. So `tokens/`
 * needs to know nothing of who caches what.
 */
@Injectable()
export class MoniteInvalidations {
  private readonly logger = new Logger('MoniteAuth');
  private readonly listeners = new Set<MoniteInvalidationListener>();

  /** Calls `listener` for every invalidation from now on; returns the way to stop. */
  subscribe(listener: MoniteInvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers to every listener of this process, synchronously. A listener that throws is logged and skipped. */
  deliver(invalidation: MoniteInvalidation): void {
    for (const listener of this.listeners) {
      try {
        listener(invalidation);
      } catch {
        this.logger.warn(`an invalidation listener threw on "${invalidation.kind}"; skipped`);
      }
    }
  }
}
