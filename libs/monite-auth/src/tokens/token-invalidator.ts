import type { Logger } from '@nestjs/common';
import { MoniteUnavailableError, type MoniteAuthError } from '../errors/index.js';
import type { MoniteInvalidation, MoniteInvalidations } from './monite-invalidations.js';
import type { MoniteTokenStore } from './monite-token-store.js';
import { entityUserIdOfKey, type TokenCacheKeys } from './token-cache-key.js';
import type { TokenFlights } from './token-flights.js';
import { requireMoniteId } from './token-inputs.js';
import type { TokenOwners } from './token-owners.js';

/**
 * Whose a token is, for `revokeToken` / `evictToken` of a token this process did not fetch itself
 * (another replica minted it): the entity user, or nobody (`{}`) for the partner token.
 */
export interface MoniteTokenOwnerHint {
  entityUserId?: string;
}

/** Where a token sits: its key and user; `certain` unless it is only the partner key by default. */
export interface TokenOwner {
  key: string;
  entityUserId: string | undefined;
  certain: boolean;
}

export interface TokenInvalidatorParts {
  store: MoniteTokenStore;
  flights: TokenFlights;
  owners: TokenOwners;
  keys: TokenCacheKeys;
  invalidations?: MoniteInvalidations;
  logger: Logger;
}

/**
 * Makes what is no longer true go away everywhere: drops tokens (and flights) here, delivers the
 * invalidation to this process's listeners (the role cache), and publishes it through the store to
 * the other replicas; what they publish comes back through `fromReplica`.
 */
export class TokenInvalidator {
  constructor(private readonly parts: TokenInvalidatorParts) {}

  /** The key a token is cached under: known here, else from the hint, else the partner's. */
  ownerOf(token: string, hint: MoniteTokenOwnerHint | undefined): TokenOwner {
    const { owners, keys } = this.parts;
    const known = owners.keyOf(token);
    if (known !== undefined) return { key: known, entityUserId: entityUserIdOfKey(known), certain: true };
    if (hint?.entityUserId !== undefined) {
      const id = requireMoniteId(hint.entityUserId, 'hint.entityUserId');
      return { key: keys.entityUser(id), entityUserId: id, certain: true };
    }
    return { key: keys.partner(), entityUserId: undefined, certain: hint !== undefined };
  }

  /**
   * Evicts a token (at its key too, should the store's index have lost it), invalidates its user
   * here and on every replica, and on revocation stops a request in flight for the key from
   * keeping its result. Returns the store's failure, if any, for the caller to throw.
   */
  async dropToken(token: string, owner: TokenOwner, revoking: boolean): Promise<MoniteAuthError | undefined> {
    const { store, flights, invalidations, logger } = this.parts;
    const invalidation: MoniteInvalidation | undefined =
      owner.entityUserId === undefined
        ? undefined
        : { kind: 'entity_user', entityUserId: owner.entityUserId };
    if (invalidation !== undefined) invalidations?.deliver(invalidation);
    if (revoking && owner.certain) flights.discard(owner.key);
    let failure: MoniteAuthError | undefined;
    try {
      await store.deleteToken(token, owner.key);
    } catch {
      logger.warn('the token store failed to evict a token');
      failure = new MoniteUnavailableError('nestjs-monite-auth: the token store failed to evict the token');
    }
    if (invalidation !== undefined) await this.publish(invalidation);
    return failure;
  }

  /** Applies an invalidation made here (tokens, flights, listeners), then sends it to the replicas. */
  async invalidate(invalidation: MoniteInvalidation): Promise<void> {
    this.applyLocally(invalidation);
    const results = await Promise.allSettled(
      this.keysOf(invalidation).map((key) => this.parts.store.delete(key)),
    );
    await this.publish(invalidation);
    if (results.some((result) => result.status === 'rejected')) {
      this.parts.logger.warn(
        `the token store failed to drop tokens on an "${invalidation.kind}" invalidation`,
      );
      throw new MoniteUnavailableError('nestjs-monite-auth: the token store failed to drop the tokens');
    }
  }

  /**
   * What another replica published. Its tokens are already gone from the shared store: here the
   * flights for them are discarded and the listeners told; nothing is published again.
   */
  fromReplica(invalidation: MoniteInvalidation): void {
    this.applyLocally(invalidation);
  }

  private applyLocally(invalidation: MoniteInvalidation): void {
    this.parts.invalidations?.deliver(invalidation);
    for (const key of this.keysOf(invalidation)) this.parts.flights.discard(key);
  }

  /** Store keys an invalidation covers (`all` covers roles only: tokens stay valid through an outage). */
  private keysOf(invalidation: MoniteInvalidation): string[] {
    const { keys, owners } = this.parts;
    if (invalidation.kind === 'entity_user') return [keys.entityUser(invalidation.entityUserId)];
    if (invalidation.kind === 'all') return [];
    return owners.usersOf(invalidation.entityId).map((user) => keys.entityUser(user));
  }

  private async publish(invalidation: MoniteInvalidation): Promise<void> {
    try {
      await this.parts.store.publishInvalidation?.(invalidation);
    } catch {
      this.parts.logger.warn(
        `the token store failed to publish a "${invalidation.kind}" invalidation to other replicas`,
      );
    }
  }
}
