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
import type { MoniteTokenGrant } from '../monite-identity.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import type { MoniteAccessToken } from './monite-access-token.js';
import { MONITE_AUTH_CLOCK, type MoniteClock } from './monite-clock.js';
import { MoniteInvalidations } from './monite-invalidations.js';
import { MoniteTokenStore, type StoredToken } from './monite-token-store.js';
import { TokenCacheKeys, entityUserIdOfKey } from './token-cache-key.js';
import { TokenEndpointClient, type IssuedToken } from './token-endpoint.client.js';
import { TokenEvents } from './token-events.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCESS_TOKEN = /^[\x21-\x7E]{1,8192}$/;
/** However long a server says a token lives, it is refreshed at least daily. */
const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface TokenTarget {
  key: string;
  grant: MoniteTokenGrant;
  entityUserId?: string;
}

/** One token request shared by every caller of a key. */
interface Flight {
  promise: Promise<StoredToken>;
  /** Set by a revocation or eviction for this key: the result goes to its waiters and is not kept. */
  discarded: boolean;
}

/**
 * Monite access tokens: the partner token and one per entity user, fetched on first use, cached,
 * refreshed early, shared between concurrent callers, and revoked.
 *
 * - Single flight: concurrent callers of one key share one request; its failure reaches all of them
 *   and is never cached.
 * - A token is refreshed `min(tokenRefreshSkewMs, lifetime / 2)` before it expires, its lifetime
 *   counted from when the request was sent. Until it expires it is served while one background
 *   refresh runs.
 * - A token fetched while its key is revoked or evicted is handed to the callers already waiting
 *   for it but not kept, and an older token never overwrites a newer one.
 */
@Injectable()
export class MoniteTokenService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MoniteAuth');
  private readonly events: TokenEvents;
  private readonly keys: TokenCacheKeys;
  private readonly partner: TokenTarget;
  private readonly flights = new Map<string, Flight>();
  /** Which key each token issued here was cached under: for revocation and its event. */
  private readonly keyByToken: LRUCache<string, string>;
  /** Aborted at shutdown: pending requests and backoffs end instead of holding the process. */
  private readonly lifecycle = new AbortController();
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
    // Every pending token request and backoff listens on this one signal; dozens at once is normal
    // (a cold start with many users), not the leak Node's default warning at 11 listeners suspects.
    setMaxListeners(0, this.lifecycle.signal);
    this.keyByToken = new LRUCache({
      max: options.entityUserTokenCacheMax + 100,
      perf: { now: () => clock.monotonic() },
      ttlResolution: 0,
    });
  }

  /** The partner token (`client_credentials`), cached and refreshed early. */
  getPartnerToken(): Promise<MoniteAccessToken> {
    return this.warm(this.partner.key) ?? this.tokenFor(this.partner);
  }

  /**
   * A token for one entity user (`entity_user` grant), cached per user in a bounded LRU.
   * @throws MoniteValidationError when `entityUserId` is not a UUID (before any request)
   * @throws MoniteConfigurationError with the `oauth2` token endpoint profile, which has no such grant
   */
  async getEntityUserToken(entityUserId: string): Promise<MoniteAccessToken> {
    if (this.options.tokenEndpoint.profile !== 'monite') {
      throw new MoniteConfigurationError(
        'nestjs-monite-auth: entity user tokens need tokenEndpoint.profile "monite"',
      );
    }
    // The value is not quoted back: a caller could have passed a token by mistake.
    if (typeof entityUserId !== 'string' || !UUID.test(entityUserId)) {
      throw new MoniteValidationError('nestjs-monite-auth: entityUserId must be a UUID');
    }
    const id = entityUserId.toLowerCase();
    const key = this.keys.entityUser(id);
    return this.warm(key) ?? this.tokenFor({ key, grant: 'entity_user', entityUserId: id });
  }

  /**
   * Revokes the token at Monite (`POST /auth/revoke`) and evicts every cached copy. The local
   * eviction always happens first, even when Monite then fails; that failure is thrown.
   * An unknown or already revoked token is a success (RFC 7009 2.2).
   */
  async revokeToken(token: string): Promise<void> {
    this.assertAccessToken(token, 'revokeToken');
    const key = this.keyByToken.get(token);
    const entityUserId = key === undefined ? undefined : entityUserIdOfKey(key);
    // A user who logs out (or is cut off) gets their role loaded afresh next time.
    if (entityUserId !== undefined) this.invalidations?.deliver({ kind: 'entity_user', entityUserId });
    const storeFailure = await this.evictLocally(token, key, { discardFlight: true });
    try {
      await this.endpoint.revoke(token, this.lifecycle.signal);
    } catch (error) {
      const failure = asLibraryError(error, 'token revocation');
      this.logger.warn(`token revocation failed; the token was evicted locally: ${failure.message}`);
      throw failure;
    }
    if (storeFailure) throw storeFailure;
    this.logger.debug(`revoked ${entityUserId ? `entity user token (${entityUserId})` : 'a token'}`);
    this.events.emit('onTokenRevoked', { entityUserId });
  }

  /**
   * Drops a token Monite refused (a 401 on a call) from every cache, without calling Monite, so
   * the next call fetches a new one. A store failure is logged, not thrown.
   */
  async evictToken(token: string): Promise<void> {
    this.assertAccessToken(token, 'evictToken');
    // A request in flight for the same key fetches a new token, which callers retrying after the
    // 401 should share, so it is not discarded (unlike on revocation).
    await this.evictLocally(token, this.keyByToken.get(token), { discardFlight: false });
    this.logger.debug('evicted a token Monite refused');
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
  }

  /** A cached token not yet due for refresh, when the store can tell without I/O: the hot path. */
  private warm(key: string): Promise<MoniteAccessToken> | undefined {
    const cached = this.store.peek?.(key);
    if (cached === undefined || this.clock.now() >= cached.refreshAt) return undefined;
    return Promise.resolve(toAccessToken(cached));
  }

  private async tokenFor(target: TokenTarget): Promise<MoniteAccessToken> {
    const cached = await this.read(target.key);
    const now = this.clock.now();
    if (cached !== undefined && now < cached.expiresAt) {
      if (now >= cached.refreshAt && !this.flights.has(target.key)) {
        this.start(target, 'refresh').promise.catch(() => {
          // Logged and reported by the flight; callers keep the valid token meanwhile.
        });
      }
      return toAccessToken(cached);
    }
    const flight = this.flights.get(target.key) ?? this.start(target, 'fetch');
    return toAccessToken(await flight.promise);
  }

  private start(target: TokenTarget, kind: 'fetch' | 'refresh'): Flight {
    const flight: Flight = { promise: undefined as never, discarded: false };
    flight.promise = this.fetch(target, kind, flight).finally(() => {
      if (this.flights.get(target.key) === flight) this.flights.delete(target.key);
    });
    this.flights.set(target.key, flight);
    return flight;
  }

  private async fetch(target: TokenTarget, kind: 'fetch' | 'refresh', flight: Flight): Promise<StoredToken> {
    // Another caller (or replica) may have stored a fresh token since this one looked.
    const current = await this.read(target.key);
    if (current !== undefined && this.clock.now() < current.refreshAt) return current;

    const mint = () => this.mint(target, kind, flight);
    if (this.store.coordinateMint === undefined) return mint();
    try {
      return await this.store.coordinateMint(target.key, mint);
    } catch (error) {
      throw asLibraryError(error, `${describe(target)} request`);
    }
  }

  /** Requests a token from Monite and keeps it; reports the outcome to the logger and the hooks. */
  private async mint(target: TokenTarget, kind: 'fetch' | 'refresh', flight: Flight): Promise<StoredToken> {
    const started = this.clock.monotonic();
    const { grant, entityUserId } = target;
    let token: StoredToken;
    try {
      const issued = await this.endpoint.requestToken({ grant, entityUserId }, this.lifecycle.signal);
      token = this.toStoredToken(issued, target);
    } catch (error) {
      const failure = asLibraryError(error, `${describe(target)} request`);
      if (failure.code !== 'ABORTED') {
        this.logger.warn(`${describe(target)} ${kind} failed: ${failure.message}`);
        const durationMs = Math.round(this.clock.monotonic() - started);
        this.events.emit('onTokenFailed', { grant, entityUserId, durationMs, error: failure });
      }
      throw failure;
    }
    const kept = await this.keep(target, token, flight);
    const durationMs = Math.round(this.clock.monotonic() - started);
    const expiresInS = Math.round((token.expiresAt - this.clock.now()) / 1000);
    this.logger.debug(
      `${kind === 'refresh' ? 'refreshed' : 'fetched'} ${describe(target)} (expires in ${expiresInS} s, took ${durationMs} ms)`,
    );
    const event = { grant, entityUserId, expiresAt: token.expiresAt, durationMs };
    this.events.emit(kind === 'refresh' ? 'onTokenRefreshed' : 'onTokenFetched', event);
    return kept;
  }

  /** Dates the token from when its request was sent (`now - elapsed`), which a slow answer cannot stretch. */
  private toStoredToken(issued: IssuedToken, target: TokenTarget): StoredToken {
    const now = this.clock.now();
    const lifetime = Math.min(issued.lifetimeMs, MAX_LIFETIME_MS);
    // Whole milliseconds, rounded towards the past: `expiresAt` is an epoch-ms integer.
    const expiresAt = Math.floor(now - issued.elapsedMs + lifetime);
    if (expiresAt <= now) {
      throw new MoniteUnavailableError(
        `nestjs-monite-auth: ${describe(target)} request failed: the token expired before it arrived`,
      );
    }
    const refreshAt = expiresAt - Math.min(this.options.tokenRefreshSkewMs, Math.floor(lifetime / 2));
    return { accessToken: issued.accessToken, tokenType: 'Bearer', expiresAt, refreshAt };
  }

  /** Stores the token unless its key was revoked meanwhile or a newer token is already stored. */
  private async keep(target: TokenTarget, token: StoredToken, flight: Flight): Promise<StoredToken> {
    this.keyByToken.set(token.accessToken, target.key, {
      ttl: Math.max(1, token.expiresAt - this.clock.now()),
    });
    if (flight.discarded) return token;
    const current = await this.read(target.key);
    if (current !== undefined && current.expiresAt > token.expiresAt) return current;
    if (flight.discarded) return token;
    await this.write(target.key, token);
    // A revocation that landed while the write was in progress wins.
    if (flight.discarded) await this.store.deleteToken(token.accessToken).catch(() => undefined);
    return token;
  }

  /** Evicts the token and, on revocation, stops an in-flight request for its key from storing its result. */
  private async evictLocally(
    token: string,
    key: string | undefined,
    { discardFlight }: { discardFlight: boolean },
  ): Promise<MoniteAuthError | undefined> {
    const flight = key === undefined || !discardFlight ? undefined : this.flights.get(key);
    if (flight !== undefined) {
      flight.discarded = true;
      this.flights.delete(key!);
    }
    try {
      await this.store.deleteToken(token);
      return undefined;
    } catch {
      this.logger.warn('the token store failed to evict a token');
      return new MoniteUnavailableError('nestjs-monite-auth: the token store failed to evict the token');
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

  private assertAccessToken(token: unknown, method: string): asserts token is string {
    if (typeof token !== 'string' || !ACCESS_TOKEN.test(token)) {
      throw new MoniteValidationError(`nestjs-monite-auth: ${method} needs an access token string`);
    }
  }
}

function toAccessToken(token: StoredToken): MoniteAccessToken {
  return { accessToken: token.accessToken, tokenType: 'Bearer', expiresAt: token.expiresAt };
}

function describe(target: TokenTarget): string {
  return target.entityUserId === undefined ? 'partner token' : `entity user token (${target.entityUserId})`;
}

/** The library's error as is; anything else (a bug, a store) becomes a generic one, its message dropped. */
function asLibraryError(error: unknown, operation: string): MoniteAuthError {
  if (error instanceof MoniteAuthError) return error;
  return new MoniteUnavailableError(`nestjs-monite-auth: ${operation} failed unexpectedly`);
}
