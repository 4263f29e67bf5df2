import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { MoniteAuthError, MoniteConfigurationError, MoniteUnavailableError } from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { HandedOutAccessToken, type MoniteAccessToken } from './monite-access-token.js';
import { MONITE_AUTH_CLOCK, type MoniteClock } from './monite-clock.js';
import { MoniteInvalidations } from './monite-invalidations.js';
import { MoniteTokenStore, type MoniteMintLimits, type StoredToken } from './monite-token-store.js';
import { TokenCacheKeys } from './token-cache-key.js';
import { TokenEndpointClient } from './token-endpoint.client.js';
import { TokenEvents } from './token-events.js';
import { TokenFlights, type TokenFlight } from './token-flights.js';
import { assertAccessToken, requireMoniteId } from './token-inputs.js';
import { TokenInvalidator, type MoniteTokenOwnerHint } from './token-invalidator.js';
import { TokenOwners } from './token-owners.js';
import { describeTarget, toStoredToken, type TokenTarget } from './token-target.js';
import { TolerantTokenStore } from './tolerant-token-store.js';

export type { MoniteTokenOwnerHint } from './token-invalidator.js';

/** Options of `getEntityUserToken`. */
export interface MoniteEntityUserTokenOptions {
  /** The user's entity: lets `invalidateEntity(entityId)` find this user's token. */
  entityId?: string;
}

/**
 * Monite access tokens: the partner token and one per entity user, fetched on first use, cached,
 * refreshed early, shared between concurrent callers, revoked and invalidated.
 *
 * - Single flight: concurrent callers of one key share one request; its failure reaches all of them
 *   and is never cached.
 * - A token is refreshed `min(tokenRefreshSkewMs, lifetime / 2)` before it expires, its lifetime
 *   counted from when the request was sent. Until it expires it is served while one background
 *   refresh runs (none while a rate-limit window Monite set is running).
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
  private readonly flights = new TokenFlights();
  private readonly owners: TokenOwners;
  private readonly cache: TolerantTokenStore;
  private readonly invalidator: TokenInvalidator;
  /** The last warm answer and the store entry it was made from: reused while the store returns that entry. */
  #warmStored: StoredToken | undefined;
  #warmAnswer: Promise<MoniteAccessToken> | undefined;
  /** Aborted at shutdown: pending requests and backoffs end instead of holding the process. */
  private readonly lifecycle = new AbortController();
  private readonly stopListening?: () => void;

  constructor(
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMoniteAuthOptions,
    @Inject(MoniteTokenStore) private readonly store: MoniteTokenStore,
    private readonly endpoint: TokenEndpointClient,
    @Inject(MONITE_AUTH_CLOCK) private readonly clock: MoniteClock,
    // Optional so the service also works when built alone (tests, a custom module).
    @Optional() invalidations?: MoniteInvalidations,
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
    this.owners = new TokenOwners(options.entityUserTokenCacheMax + 100, clock);
    this.cache = new TolerantTokenStore(store, this.logger);
    const { flights, owners, keys, logger } = this;
    this.invalidator = new TokenInvalidator({ store, flights, owners, keys, invalidations, logger });
    store.useDerivedSealingKey?.(options.credentials.sealingKeyMaterial());
    this.stopListening = store.subscribeInvalidations?.((invalidation) =>
      this.invalidator.fromReplica(invalidation),
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
    const id = requireMoniteId(entityUserId, 'entityUserId');
    if (options?.entityId !== undefined)
      this.owners.noteEntity(id, requireMoniteId(options.entityId, 'entityId'));
    const key = this.keys.entityUser(id);
    return this.warm(key) ?? this.tokenFor({ key, grant: 'entity_user', entityUserId: id });
  }

  /**
   * Revokes the token at Monite (`POST /auth/revoke`) and evicts every cached copy. The local
   * eviction and the role invalidation (here and, through the store, on every replica) always
   * happen first, even when Monite then fails; that failure is thrown. An unknown or already
   * revoked token is a success (RFC 7009 2.2). For a token another replica fetched, pass its owner.
   */
  async revokeToken(token: string, hint?: MoniteTokenOwnerHint): Promise<void> {
    assertAccessToken(token, 'revokeToken');
    const owner = this.invalidator.ownerOf(token, hint);
    const storeFailure = await this.invalidator.dropToken(token, owner, true);
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
    assertAccessToken(token, 'evictToken');
    await this.invalidator.dropToken(token, this.invalidator.ownerOf(token, hint), false);
    this.logger.debug('evicted a token Monite refused');
  }

  /**
   * Forgets everything cached about one entity user, on every replica: the user's token (a request
   * in flight is not kept) and, through `MoniteInvalidations`, the compiled role. Call it when the
   * app changes the user's role or access. A store failure is thrown after the rest is done.
   */
  async invalidateEntityUser(entityUserId: string): Promise<void> {
    const id = requireMoniteId(entityUserId, 'entityUserId');
    await this.invalidator.invalidate({ kind: 'entity_user', entityUserId: id });
  }

  /**
   * Forgets everything cached about one entity, on every replica: the tokens of its users (those
   * asked for with `{ entityId }`) and, through `MoniteInvalidations`, its compiled roles.
   */
  async invalidateEntity(entityId: string): Promise<void> {
    const id = requireMoniteId(entityId, 'entityId');
    await this.invalidator.invalidate({ kind: 'entity', entityId: id });
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

  /**
   * A cached token not yet due for refresh, when the store can tell without I/O: the hot path. The
   * same (frozen) answer is handed out again while the store returns the same entry, so a warm hit
   * allocates nothing.
   */
  private warm(key: string): Promise<MoniteAccessToken> | undefined {
    const cached = this.store.peek?.(key);
    if (cached === undefined || this.clock.now() >= cached.refreshAt) return undefined;
    if (cached === this.#warmStored) return this.#warmAnswer;
    const answer = Promise.resolve<MoniteAccessToken>(
      new HandedOutAccessToken(cached.accessToken, cached.expiresAt),
    );
    this.#warmStored = cached;
    this.#warmAnswer = answer;
    return answer;
  }

  private async tokenFor(target: TokenTarget): Promise<MoniteAccessToken> {
    const cached = await this.cache.read(target.key);
    const now = this.clock.now();
    if (cached !== undefined && now < cached.expiresAt) {
      this.owners.remember(cached, target.key);
      const due = now >= cached.refreshAt && !this.flights.has(target.key);
      // During a rate-limit window the valid token is served and no refresh is tried.
      if (due && this.endpoint.rateLimitRejection('refresh') === undefined) {
        this.flights
          .start(target.key, (flight) => this.fetch(target, 'refresh', flight))
          .promise.catch(() => {
            // Logged and reported by the flight; callers keep the valid token meanwhile.
          });
      }
      return new HandedOutAccessToken(cached.accessToken, cached.expiresAt);
    }
    let flight = this.flights.get(target.key);
    if (flight === undefined) {
      // While Monite's rate limit runs, no request is sent: fail at once with the time left.
      const rateLimited = this.endpoint.rateLimitRejection(`${describeTarget(target)} request`);
      if (rateLimited !== undefined) throw rateLimited;
      flight = this.flights.start(target.key, (started) => this.fetch(target, 'fetch', started));
    }
    const token = await flight.promise;
    return new HandedOutAccessToken(token.accessToken, token.expiresAt);
  }

  private async fetch(
    target: TokenTarget,
    kind: 'fetch' | 'refresh',
    flight: TokenFlight,
  ): Promise<StoredToken> {
    // Another caller (or replica) may have stored a fresh token since this one looked.
    const current = await this.cache.read(target.key);
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
  private async mint(
    target: TokenTarget,
    kind: 'fetch' | 'refresh',
    flight: TokenFlight,
  ): Promise<StoredToken> {
    const started = this.clock.monotonic();
    const { grant, entityUserId } = target;
    let token: StoredToken;
    try {
      const issued = await this.endpoint.requestToken({ grant, entityUserId }, this.lifecycle.signal);
      token = toStoredToken(issued, target, this.clock.now(), this.options.tokenRefreshSkewMs);
    } catch (error) {
      const failure = asLibraryError(error, `${describeTarget(target)} request`);
      // A request the rate-limit window kept from being sent was already reported with its 429.
      if (failure.code !== 'ABORTED' && failure.code !== 'rate_limit_window') {
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
  private async keep(target: TokenTarget, token: StoredToken, flight: TokenFlight): Promise<StoredToken> {
    this.owners.remember(token, target.key);
    if (flight.discarded) return token;
    const current = await this.cache.read(target.key);
    if (current !== undefined && current.expiresAt > token.expiresAt) return current;
    if (flight.discarded) return token;
    await this.cache.write(target.key, token);
    // A revocation that landed while the write was in progress wins.
    if (flight.discarded) await this.store.deleteToken(token.accessToken, target.key).catch(() => undefined);
    return token;
  }
}

/** The library's error as is; anything else (a bug, a store) becomes a generic one, its message dropped. */
function asLibraryError(error: unknown, operation: string): MoniteAuthError {
  if (error instanceof MoniteAuthError) return error;
  return new MoniteUnavailableError(`nestjs-monite-auth: ${operation} failed unexpectedly`);
}
