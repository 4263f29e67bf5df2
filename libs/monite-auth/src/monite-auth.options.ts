import type { ExecutionContext, Type } from '@nestjs/common';
import type { MoniteClientCredentials } from './tokens/monite-client-credentials.js';
import type { MoniteTokenStore } from './tokens/monite-token-store.js';
import type { MoniteCaller, MoniteEntityUserRef } from './monite-identity.js';
import type { MoniteRole, MoniteRoleProvider } from './monite-role.js';
import type { MoniteAuthHooks } from './monite-auth.hooks.js';

export type MoniteEnvironment = 'sandbox' | 'eu' | 'na';
export type MoniteSecurityModel = 'monite-managed' | 'partner-managed' | 'hybrid';

/** Base URLs of Monite's environments (MONITE-API.md "Environments"). */
export const MONITE_ENVIRONMENT_URLS: Readonly<Record<MoniteEnvironment, string>> = {
  sandbox: 'https://api.sandbox.monite.com/v1',
  eu: 'https://api.monite.com/v1',
  na: 'https://us.api.monite.com/v1',
};

/** The API version Monite's own SDK pins. */
export const DEFAULT_MONITE_API_VERSION = '2024-05-25';

/**
 * How the token endpoint is spoken to. `monite` is Monite's own JSON wire format; `oauth2` is a
 * generic RFC 6749 client-credentials endpoint (e.g. MoneyKit): form body, optional scope,
 * credentials in the body or as HTTP Basic, 200 or 201, `{error_code, error_message}` errors.
 */
export interface MoniteTokenEndpointOptions {
  /** Default `monite`. */
  profile?: 'monite' | 'oauth2';
  /** Full URL of the token endpoint. Default `<apiUrl>/auth/token`. */
  url?: string;
  /** `oauth2` only: where the client credentials go. Default `body`. Never both. */
  credentials?: 'body' | 'basic';
  /** `oauth2` only: scopes, sent space-separated. */
  scope?: string | string[];
}

/** Retry policy for calls to Monite's token endpoint (and idempotent Monite calls). */
export interface MoniteRetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff for 5xx and network errors, doubled each time, with full jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest backoff. Default 5,000 ms. */
  maxDelayMs?: number;
  /** Largest `Retry-After` honoured on a 429; a longer one ends the retries. Default 30,000 ms. */
  maxRetryAfterMs?: number;
}

export interface MoniteAuthModuleOptions {
  /** Monite partner client id (a UUID for Monite). Required. */
  clientId: string;
  /** Monite partner client secret. Required; never logged, never in an error. */
  clientSecret: string;
  /** Which Monite to talk to. Default `sandbox`. Ignored when `apiUrl` is set. */
  environment?: MoniteEnvironment;
  /** Base URL ending in `/v1`, e.g. an emulator. Must be https unless it is a loopback address. */
  apiUrl?: string;
  /** `x-monite-version` sent on every request, `YYYY-MM-DD`. Default `2024-05-25`. */
  apiVersion?: string;
  /** Who checks permissions and which token calls Monite. Default `monite-managed`. */
  securityModel?: MoniteSecurityModel;
  /**
   * Maps a request to the entity user it acts for (or `moniteAsPartner(entityId)`); `undefined`
   * means nobody (401 on guarded routes).
   */
  resolveEntityUser?: (
    context: ExecutionContext,
  ) => MoniteCaller | undefined | Promise<MoniteCaller | undefined>;
  /** Roles for the partner-managed and hybrid models: a function or an injectable class. */
  roleProvider?: ((user: MoniteEntityUserRef) => MoniteRole | Promise<MoniteRole>) | Type<MoniteRoleProvider>;
  /** Where tokens are cached. Default: in-memory. Use `RedisTokenStore` for several replicas. */
  tokenStore?: MoniteTokenStore;
  /** Make the module global. Default false. */
  isGlobal?: boolean;

  /** Refresh this long before expiry, clamped to half the token's lifetime. Default 60,000 ms. */
  tokenRefreshSkewMs?: number;
  /** Most entity-user tokens kept in memory (LRU). Default 10,000. */
  entityUserTokenCacheMax?: number;
  /**
   * Longest any one HTTP request to Monite may take, from sending to the last byte of the answer
   * (a total deadline, not an idle timeout). A token call as a whole (time queued behind
   * `maxConcurrentTokenRequests` included) settles within `requestTimeoutMs x (retry.maxRetries + 1)`
   * plus the longest backoffs. Default 10,000 ms.
   */
  requestTimeoutMs?: number;
  /**
   * Most token requests in flight at once (a cold start with many users queues the rest instead of
   * opening one socket per user and hitting Monite's rate limit). A queued call whose deadline
   * passes leaves the queue with a `MoniteUnavailableError`. Default 8.
   */
  maxConcurrentTokenRequests?: number;
  /** Retry policy. */
  retry?: MoniteRetryOptions;
  /** Fetch the partner token at application start instead of on first use. Default false. */
  warmUpPartnerToken?: boolean;
  /** Token endpoint wire profile (Monite by default; `oauth2` for providers like MoneyKit). */
  tokenEndpoint?: MoniteTokenEndpointOptions;
  /** How long a compiled role is trusted before it is fetched again. Default 60,000 ms. */
  roleCacheTtlMs?: number;
  /** Most compiled roles kept in memory (LRU). Default 10,000. */
  roleCacheMax?: number;
  /** Observability callbacks: tokens fetched, refreshed, failed, revoked; access decisions. */
  hooks?: MoniteAuthHooks;
}

/** Defaults of every tuning option (documented in the README's options table). */
export const MONITE_AUTH_DEFAULTS = {
  environment: 'sandbox',
  apiVersion: DEFAULT_MONITE_API_VERSION,
  securityModel: 'monite-managed',
  tokenRefreshSkewMs: 60_000,
  entityUserTokenCacheMax: 10_000,
  requestTimeoutMs: 10_000,
  maxConcurrentTokenRequests: 8,
  retry: { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 },
  warmUpPartnerToken: false,
  roleCacheTtlMs: 60_000,
  roleCacheMax: 10_000,
} as const;

/** The token endpoint with every default filled. */
export interface ResolvedTokenEndpointOptions {
  readonly profile: 'monite' | 'oauth2';
  /** Full URL of the token endpoint. */
  readonly url: string;
  /** Where the client credentials go (`monite` profile: always the JSON body). */
  readonly credentials: 'body' | 'basic';
  /** Scopes (`oauth2` only), sent space-separated; empty means none sent. */
  readonly scope: readonly string[];
}

/**
 * The module options after validation, with every default filled. Frozen. The client secret is not
 * a property: it sits in `credentials`, which shows nothing of it to `JSON.stringify` or
 * `util.inspect` (at any depth, hidden properties and getters included).
 * Inject with `@Inject(MONITE_AUTH_RESOLVED_OPTIONS)`.
 */
export interface ResolvedMoniteAuthOptions {
  readonly clientId: string;
  /** The client id and secret; the secret is read only by the token endpoint client. */
  readonly credentials: MoniteClientCredentials;
  readonly environment: MoniteEnvironment;
  /** Base URL without a trailing slash, e.g. `https://api.sandbox.monite.com/v1`. */
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly securityModel: MoniteSecurityModel;
  readonly resolveEntityUser?: MoniteAuthModuleOptions['resolveEntityUser'];
  readonly roleProvider?: MoniteAuthModuleOptions['roleProvider'];
  /** The store given in the options; `undefined` means the built-in in-memory store. */
  readonly tokenStore?: MoniteTokenStore;
  readonly isGlobal: boolean;
  readonly tokenRefreshSkewMs: number;
  readonly entityUserTokenCacheMax: number;
  readonly requestTimeoutMs: number;
  readonly maxConcurrentTokenRequests: number;
  readonly retry: Readonly<Required<MoniteRetryOptions>>;
  readonly warmUpPartnerToken: boolean;
  readonly tokenEndpoint: ResolvedTokenEndpointOptions;
  /** `<apiUrl>/auth/revoke` for the `monite` profile; `undefined` for `oauth2` (no revocation endpoint). */
  readonly revokeUrl?: string;
  readonly roleCacheTtlMs: number;
  readonly roleCacheMax: number;
  readonly hooks: Readonly<MoniteAuthHooks>;
}

/** Injection token of the {@link ResolvedMoniteAuthOptions}. */
export const MONITE_AUTH_RESOLVED_OPTIONS = Symbol('MONITE_AUTH_RESOLVED_OPTIONS');
