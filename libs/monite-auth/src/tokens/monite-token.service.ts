import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { LRUCache } from 'lru-cache';
import {
  MoniteAuthError,
  MoniteConfigurationError,
  MoniteUnavailableError,
  MoniteValidationError,
} from '../errors/index.js';
import { normalizeMoniteId } from '../monite-identity.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { HandedOutAccessToken, type MoniteAccessToken } from './monite-access-token.js';
import { MONITE_AUTH_CLOCK, type MoniteClock } from './monite-clock.js';
import { MoniteInvalidations, type MoniteInvalidation } from './monite-invalidations.js';
import { MoniteTokenStore, type MoniteMintLimits, type StoredToken } from './monite-token-store.js';
import { TokenCacheKeys, entityUserIdOfKey } from './token-cache-key.js';
import { TokenEndpointClient } from './token-endpoint.client.js';
import { describeTarget, toStoredToken, type TokenTarget } from './token-target.js';
import { TokenEvents } from './token-events.js';

const ACCESS_TOKEN = /^[\x21-\x7E]{1,8192}$/;

/** Options of `getEntityUserToken`. */
export interface MoniteEntityUserTokenOptions {
  /** The user's entity: lets `invalidateEntity(entityId)` find this user's token. */
  entityId?: string;
}

/**
 * Whose a token is, for `revokeToken` / `evictToken` of a token this process did not fetch itself
 * (another replica minted it): the entity user, or nobody (`{}`) for the partner token.
 */
export interface MoniteTokenOwnerHint {
  entityUserId?: string;
}

/** One token request shared by every caller of a key. */
interface Flight {
  promise: Promise<StoredToken>;
  /** Set by a revocation or invalidation of this key: the result goes to its waiters and is not kept. */
  discarded: boolean;
}

/**
 * Monite access tokens: the partner token and one per entity user, fetched on first use, cached,
 * refreshed early, shared between concurrent callers, revoked and invalidated.
 *
 * - Single flight: concurrent callers of one key share one request; its failure reaches all of them
 *   and is never cached.
 * - A token is refreshed `min(tokenRefreshSkewMs, lifetime / 2)` before it expires, its lifetime
 *   counted from when the request was sent. Until it expires it is served while one background
 *   refresh runs.
 * - A token fetched while its key is revoked or invalidated is handed to the callers already
 *   waiting for it but not kept, and an older token never overwrites a newer one.
 * - Revocations, 401 evictions and `invalidateEntityUser` / `invalidateEntity` are delivered to
 *   `MoniteInvalidations` (the role cache listens) and published through the store to the other
 *   replicas; what they publish is delivered here.
 *
 * Tokens, their keys and the flights live in private fields: inspecting the service shows none.
 */
@Injectable()
export class MoniteTokenService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MoniteAuth');
  private readonly events: TokenEvents;
  private readonly keys: TokenCacheKeys;
  private readonly partner: TokenTarget;
  private readonly mintLimits: MoniteMintLimits;
  readonly #flights = new Map<string, Flight>();
  /** Which key each token fetched or served here was cached under: for revocation and its event. */
  readonly #keyByToken: LRUCache<string, string>;
  /** The entity of each entity user whose token was asked for with `{ entityId }`. */
  readonly #entityOfUser: LRUCache<string, string>;
  /** Aborted at shutdown: pending requests and backoffs end instead of holding the process. */
  private readonly lifecycle = new AbortController();
  private readonly stopListening?: () => void;
  private storeFailing = false;

  constructor(
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMoniteAuthOptions,
    @Inject(MoniteTokenStore) private readonly store: MoniteTokenStore,
    private readonly endpoint: TokenEndpointClient,
    @Inject(MONITE_AUTH_CLOCK) private readonly clock: MoniteClock,
    // Optional so the service also works when built alone (tests, a custom module).
    @Optional() private readonly invalidations?: MoniteInvalidations,
  ) {
    this.events = new TokenEvents(options.hooks, this.logger);
    this.keys = new TokenCacheKeys({
      tokenUrl: options.tokenEndpoint.url,
      clientId: options.clientId,
      apiVersion: options.apiVersion,
      profile: options.tokenEndpoint.profile,
      scope: options.tokenEndpoint.scope,
    });
    this.partner = { key: this.keys.partner(), grant: 'client_credentials' };
    this.mintLimits = Object.freeze({ maxMintMs: endpoint.callBudgetMs });
    // Every pending token request and backoff listens on this one signal; dozens at once is normal
    // (a cold start with many users), not the leak Node's default warning at 11 listeners suspects.
    setMaxListeners(0, this.lifecycle.signal);
    const lru = { max: options.entityUserTokenCacheMax + 100, perf: { now: () => clock.monotonic() } };
    this.#keyByToken = new LRUCache({ ...lru, ttlResolution: 0 });
    this.#entityOfUser = new LRUCache({ max: lru.max });
    store.useDerivedSealingKey?.(options.credentials.sealingKeyMaterial());
    this.stopListening = store.subscribeInvalidations?.((invalidation) =>
      this.applyFromReplica(invalidation),
    );
  }

  /** The partner token (`client_credentials`), cached and refreshed early. */
  getPartnerToken(): Promise<MoniteAccessToken> {
    return this.warm(this.partner.key) ?? this.tokenFor(this.partner);
  }

  /**
   * A token for one entity user (`entity_user` grant), cached per user in a bounded LRU. The id is
   * a UUID in any letter case (one user, one token).
   * @throws MoniteValidationError when `entityUserId` (or `options.entityId`) is not a UUID, before any request
   * @throws MoniteConfigurationError with the `oauth2` token endpoint profile, which has no such grant
   * @throws MoniteUnknownEntityUserError when Monite does not know the user (never cached)
   * @throws MoniteRateLimitError at once while a rate limit Monite set is running and no token is cached
   */
  async getEntityUserToken(
    entityUserId: string,
    options?: MoniteEntityUserTokenOptions,
  ): Promise<MoniteAccessToken> {
    if (this.options.tokenEndpoint.profile !== 'monite') {
      throw new MoniteConfigurationError(
        'nestjs-monite-auth: entity user tokens need tokenEndpoint.profile "monite"',
      );
    }
    // The value is not quoted back: a caller could have passed a token by mistake.
    const id = this.requireId(entityUserId, 'entityUserId');
    if (options?.entityId !== undefined) {
      const entityId = this.requireId(options.entityId, 'entityId');
      if (this.#entityOfUser.get(id) !== entityId) this.#entityOfUser.set(id, entityId);
    }
    const key = this.keys.entityUser(id);
    return this.warm(key) ?? this.tokenFor({ key, grant: 'entity_user', entityUserId: id });
  }

  /**
   * Revokes the token at Monite (`POST /auth/revoke`) and evicts every cached copy. The local
   * eviction, the role invalidation (here and, through the store, on every replica) always happen
   * first, even when Monite then fails; that failure is thrown. An unknown or already revoked token
   * is a success (RFC 7009 2.2). For a token another replica fetched, pass its owner as `hint`.
   */
  async revokeToken(token: string, hint?: MoniteTokenOwnerHint): Promise<void> {
    this.assertAccessToken(token, 'revokeToken');
    const owner = this.ownerOf(token, hint);
    const storeFailure = await this.dropToken(token, owner, true);
    try {
      await this.endpoint.revoke(token, this.lifecycle.signal);
    } catch (error) {
      const failure = asLibraryError(error, 'token revocation');
      this.logger.warn(`token revocation failed; the token was evicted locally: ${failure.message}`);
      throw failure;
    }
    if (storeFailure) throw storeFailure;
    const { entityUserId } = owner;
    this.logger.debug(`revoked ${entityUserId ? `entity user token (${entityUserId})` : 'a token'}`);
    this.events.emit('onTokenRevoked', { entityUserId });
  }

  /**
   * Drops a token Monite refused (a 401 on a call) from every cache, without calling Monite, so the
   * next call fetches a new one; the user's role is invalidated on every replica. A request in
   * flight for the key is kept: callers retrying after the 401 share it. For a token another
   * replica fetched, pass its owner as `hint` (`{}` or none: the partner). A store failure is logged.
   */
  async evictToken(token: string, hint?: MoniteTokenOwnerHint): Promise<void> {
    this.assertAccessToken(token, 'evictToken');
    await this.dropToken(token, this.ownerOf(token, hint), false);
    this.logger.debug('evicted a token Monite refused');
  }

  /**
   * Forgets everything cached about one entity user, on every replica: the user's token (a request
   * in flight is not kept) and, through `MoniteInvalidations`, the compiled role. Call it when the
   * app changes the user's role or access. A store failure is thrown after the rest is done.
   */
  async invalidateEntityUser(entityUserId: string): Promise<void> {
    const id = this.requireId(entityUserId, 'entityUserId');
    await this.invalidate({ kind: 'entity_user', entityUserId: id }, true);
  }

  /**
   * Forgets everything cached about one entity, on every replica: the tokens of its users (those
   * asked for with `{ entityId }`) and, through `MoniteInvalidations`, its compiled roles.
   */
  async invalidateEntity(entityId: string): Promise<void> {
    const id = this.requireId(entityId, 'entityId');
    await this.invalidate({ kind: 'entity', entityId: id }, true);
  }

  /** With `warmUpPartnerToken`, fetches the partner token before the app serves; a failure is only logged. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.warmUpPartnerToken) return;
    await this.getPartnerToken().catch(() => {
      // Already logged by the fetch; the first real call will try again.
    });
  }

  onModuleDestroy(): void {
    this.lifecycle.abort();
    this.stopListening?.();
  }

  /** A cached token not yet due for refresh, when the store can tell without I/O: the hot path. */
  private warm(key: string): Promise<MoniteAccessToken> | undefined {
    const cached = this.store.peek?.(key);
    if (cached === undefined || this.clock.now() >= cached.refreshAt) return undefined;
    return Promise.resolve(new HandedOutAccessToken(cached.accessToken, cached.expiresAt));
  }

  private async tokenFor(target: TokenTarget): Promise<MoniteAccessToken> {
    const cached = await this.read(target.key);
    const now = this.clock.now();
    if (cached !== undefined && now < cached.expiresAt) {
      this.remember(cached, target.key);
      // During a rate-limit window the valid token is served and no refresh is tried.
      const due = now >= cached.refreshAt && !this.#flights.has(target.key);
      if (due && this.endpoint.rateLimitRejection('refresh') === undefined) {
        this.start(target, 'refresh').promise.catch(() => {
          // Logged and reported by the flight; callers keep the valid token meanwhile.
        });
      }
      return new HandedOutAccessToken(cached.accessToken, cached.expiresAt);
    }
    let flight = this.#flights.get(target.key);
    if (flight === undefined) {
      // While Monite's rate limit runs, no request is sent: fail at once with the time left.
      const rateLimited = this.endpoint.rateLimitRejection(`${describeTarget(target)} request`);
      if (rateLimited !== undefined) throw rateLimited;
      flight = this.start(target, 'fetch');
    }
    const token = await flight.promise;
    return new HandedOutAccessToken(token.accessToken, token.expiresAt);
  }

  private start(target: TokenTarget, kind: 'fetch' | 'refresh'): Flight {
    const flight: Flight = { promise: undefined as never, discarded: false };
    flight.promise = this.fetch(target, kind, flight).finally(() => {
      if (this.#flights.get(target.key) === flight) this.#flights.delete(target.key);
    });
    this.#flights.set(target.key, flight);
    return flight;
  }

  private async fetch(target: TokenTarget, kind: 'fetch' | 'refresh', flight: Flight): Promise<StoredToken> {
    // Another caller (or replica) may have stored a fresh token since this one looked.
    const current = await this.read(target.key);
    if (current !== undefined && this.clock.now() < current.refreshAt) return current;

    const mint = () => this.mint(target, kind, flight);
    if (this.store.coordinateMint === undefined) return mint();
    try {
      return await this.store.coordinateMint(target.key, mint, this.mintLimits);
    } catch (error) {
      throw asLibraryError(error, `${describeTarget(target)} request`);
    }
  }

  /** Requests a token from Monite and keeps it; reports the outcome to the logger and the hooks. */
  private async mint(target: TokenTarget, kind: 'fetch' | 'refresh', flight: Flight): Promise<StoredToken> {
    const started = this.clock.monotonic();
    const { grant, entityUserId } = target;
    let token: StoredToken;
    try {
      const issued = await this.endpoint.requestToken({ grant, entityUserId }, this.lifecycle.signal);
      token = toStoredToken(issued, target, this.clock.now(), this.options.tokenRefreshSkewMs);
    } catch (error) {
      const failure = asLibraryError(error, `${describeTarget(target)} request`);
      // A request the rate-limit window kept from being sent was already reported with its 429.
      const quiet = failure.code === 'ABORTED' || failure.code === 'rate_limit_window';
      if (!quiet) {
        this.logger.warn(`${describeTarget(target)} ${kind} failed: ${failure.message}`);
        const durationMs = Math.round(this.clock.monotonic() - started);
        this.events.emit('onTokenFailed', { grant, entityUserId, durationMs, error: failure });
      }
      throw failure;
    }
    const kept = await this.keep(target, token, flight);
    const durationMs = Math.round(this.clock.monotonic() - started);
    const expiresInS = Math.round((token.expiresAt - this.clock.now()) / 1000);
    this.logger.debug(
      `${kind === 'refresh' ? 'refreshed' : 'fetched'} ${describeTarget(target)} (expires in ${expiresInS} s, took ${durationMs} ms)`,
    );
    const event = { grant, entityUserId, expiresAt: token.expiresAt, durationMs };
    this.events.emit(kind === 'refresh' ? 'onTokenRefreshed' : 'onTokenFetched', event);
    return kept;
  }

  /** Stores the token unless its key was revoked meanwhile or a newer token is already stored. */
  private async keep(target: TokenTarget, token: StoredToken, flight: Flight): Promise<StoredToken> {
    this.remember(token, target.key);
    if (flight.discarded) return token;
    const current = await this.read(target.key);
    if (current !== undefined && current.expiresAt > token.expiresAt) return current;
    if (flight.discarded) return token;
    await this.write(target.key, token);
    // A revocation that landed while the write was in progress wins.
    if (flight.discarded) await this.store.deleteToken(token.accessToken, target.key).catch(() => undefined);
    return token;
  }

  /** Records which key a token is cached under, until it expires. */
  private remember(token: StoredToken, key: string): void {
    if (this.#keyByToken.get(token.accessToken) === key) return;
    this.#keyByToken.set(token.accessToken, key, { ttl: Math.max(1, token.expiresAt - this.clock.now()) });
  }

  /** The key a token is cached under: known here, else from the hint, else the partner's. */
  private ownerOf(token: string, hint: MoniteTokenOwnerHint | undefined): TokenOwner {
    const known = this.#keyByToken.get(token);
    if (known !== undefined) return { key: known, entityUserId: entityUserIdOfKey(known), certain: true };
    if (hint?.entityUserId !== undefined) {
      const id = this.requireId(hint.entityUserId, 'hint.entityUserId');
      return { key: this.keys.entityUser(id), entityUserId: id, certain: true };
    }
    return { key: this.partner.key, entityUserId: undefined, certain: hint !== undefined };
  }

  /**
   * Evicts a token (at its key too, if the store's index lost it), invalidates its user here and on
   * every replica, and on revocation stops a request in flight for the key from keeping its result.
   */
  private async dropToken(
    token: string,
    owner: TokenOwner,
    revoking: boolean,
  ): Promise<MoniteAuthError | undefined> {
    const invalidation: MoniteInvalidation | undefined =
      owner.entityUserId === undefined
        ? undefined
        : { kind: 'entity_user', entityUserId: owner.entityUserId };
    if (invalidation !== undefined) this.invalidations?.deliver(invalidation);
    if (revoking && owner.certain) this.discardFlight(owner.key);
    let failure: MoniteAuthError | undefined;
    try {
      await this.store.deleteToken(token, owner.key);
    } catch {
      this.logger.warn('the token store failed to evict a token');
      failure = new MoniteUnavailableError('nestjs-monite-auth: the token store failed to evict the token');
    }
    if (invalidation !== undefined) await this.publish(invalidation);
    return failure;
  }

  /** Applies an invalidation here (tokens, flights, the in-process channel), then sends it to the replicas. */
  private async invalidate(invalidation: MoniteInvalidation, publish: boolean): Promise<void> {
    this.invalidations?.deliver(invalidation);
    const keys = this.keysOf(invalidation);
    for (const key of keys) this.discardFlight(key);
    let failure: MoniteAuthError | undefined;
    if (publish) {
      const results = await Promise.allSettled(keys.map((key) => this.store.delete(key)));
      if (results.some((result) => result.status === 'rejected')) {
        this.logger.warn(`the token store failed to drop tokens on "${invalidation.kind}" invalidation`);
        failure = new MoniteUnavailableError('nestjs-monite-auth: the token store failed to drop the tokens');
      }
      await this.publish(invalidation);
    }
    if (failure) throw failure;
  }

  /** What another replica published: its tokens are already gone from the shared store; drop flights and deliver. */
  private applyFromReplica(invalidation: MoniteInvalidation): void {
    this.invalidate(invalidation, false).catch(() => undefined);
  }

  /** Store keys an invalidation covers (`all` covers roles only: tokens stay valid through an outage). */
  private keysOf(invalidation: MoniteInvalidation): string[] {
    if (invalidation.kind === 'entity_user') return [this.keys.entityUser(invalidation.entityUserId)];
    if (invalidation.kind === 'all') return [];
    const keys: string[] = [];
    for (const [user, entity] of this.#entityOfUser.entries()) {
      if (entity === invalidation.entityId) keys.push(this.keys.entityUser(user));
    }
    return keys;
  }

  private discardFlight(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.discarded = true;
    this.#flights.delete(key);
  }

  private async publish(invalidation: MoniteInvalidation): Promise<void> {
    try {
      await this.store.publishInvalidation?.(invalidation);
    } catch {
      this.logger.warn(
        `the token store failed to publish a "${invalidation.kind}" invalidation to other replicas`,
      );
    }
  }

  /** A store that fails is a cache miss (warned once per outage), never an error for the caller. */
  private async read(key: string): Promise<StoredToken | undefined> {
    try {
      const token = await this.store.get(key);
      this.storeFailing = false;
      return token;
    } catch {
      this.storeFailed('read');
      return undefined;
    }
  }

  private async write(key: string, token: StoredToken): Promise<void> {
    try {
      await this.store.set(key, token);
      this.storeFailing = false;
    } catch {
      this.storeFailed('write');
    }
  }

  private storeFailed(operation: string): void {
    if (this.storeFailing) return;
    this.storeFailing = true;
    // The store's own error is not logged: it may name a connection string with a password.
    this.logger.warn(
      `the token store failed to ${operation}; tokens are fetched without it until it recovers`,
    );
  }

  private requireId(value: unknown, name: string): string {
    const id = normalizeMoniteId(value);
    if (id === undefined) throw new MoniteValidationError(`nestjs-monite-auth: ${name} must be a UUID`);
    return id;
  }

  private assertAccessToken(token: unknown, method: string): asserts token is string {
    if (typeof token !== 'string' || !ACCESS_TOKEN.test(token)) {
      throw new MoniteValidationError(`nestjs-monite-auth: ${method} needs an access token string`);
    }
  }
}

/** Where a token sits: its key and user; `certain` unless it is only the partner key by default. */
interface TokenOwner {
  key: string;
  entityUserId: string | undefined;
  certain: boolean;
}

/** The library's error as is; anything else (a bug, a store) becomes a generic one, its message dropped. */
function asLibraryError(error: unknown, operation: string): MoniteAuthError {
  if (error instanceof MoniteAuthError) return error;
  return new MoniteUnavailableError(`nestjs-monite-auth: ${operation} failed unexpectedly`);
}
