import { z } from 'zod';
import { MoniteConfigurationError } from './errors/index.js';
import {
  MONITE_AUTH_DEFAULTS,
  MONITE_ENVIRONMENT_URLS,
  type MoniteAuthModuleOptions,
  type ResolvedMoniteAuthOptions,
} from './monite-auth.options.js';
import { unsealMoniteAuthOptions } from './monite-auth.options-sealing.js';
import { MoniteClientCredentials } from './tokens/monite-client-credentials.js';
import { MAX_TIMER_MS } from './tokens/monite-clock.js';

/*
 * Boot-time validation of the module options. Every message names the option and what is wrong
 * with it, and never the value: a value may be a secret (or a secret pasted into the wrong field).
 */

const PREFIX = 'nestjs-monite-auth:';

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: `must be ${what}`,
  });

const nonNegativeMs = z
  .number({ error: 'must be a number of milliseconds' })
  .int({ error: 'must be a whole number of milliseconds' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms` });
const positiveMs = nonNegativeMs.min(1, { error: 'must be at least 1 ms' });
const positiveCount = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(10_000_000, { error: 'must be at most 10,000,000' });

const hooksSchema = z.strictObject(
  {
    onTokenFetched: fn('a function').optional(),
    onTokenRefreshed: fn('a function').optional(),
    onTokenFailed: fn('a function').optional(),
    onTokenRevoked: fn('a function').optional(),
    onAccessDecision: fn('a function').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object of callbacks') },
);

const retrySchema = z.strictObject(
  {
    maxRetries: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(10, { error: 'must be at most 10' })
      .optional(),
    baseDelayMs: nonNegativeMs.optional(),
    maxDelayMs: nonNegativeMs.optional(),
    maxRetryAfterMs: nonNegativeMs.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object') },
);

const tokenEndpointSchema = z.strictObject(
  {
    profile: z.enum(['monite', 'oauth2'], { error: 'must be "monite" or "oauth2"' }).optional(),
    url: z.string({ error: 'must be a URL string' }).optional(),
    credentials: z.enum(['body', 'basic'], { error: 'must be "body" or "basic"' }).optional(),
    scope: z
      .union([z.string(), z.array(z.string())], { error: 'must be a string or an array of strings' })
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object') },
);

const tokenStoreSchema = z.custom<NonNullable<MoniteAuthModuleOptions['tokenStore']>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'delete', 'deleteToken'].every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    ),
  { error: 'must implement MoniteTokenStore (get, set, delete, deleteToken)' },
);

/** One schema entry per option: adding an option to the interface without validating it does not compile. */
const optionShape = {
  clientId: z
    .string({ error: 'is required (a non-empty string)' })
    .trim()
    .min(1, { error: 'is required (a non-empty string)' }),
  clientSecret: z
    .string({ error: 'is required (a non-empty string)' })
    .min(1, { error: 'is required (a non-empty string)' }),
  environment: z.enum(['sandbox', 'eu', 'na'], { error: 'must be "sandbox", "eu" or "na"' }).optional(),
  apiUrl: z.string({ error: 'must be a URL string' }).optional(),
  apiVersion: z
    .string({ error: 'must be a YYYY-MM-DD string' })
    .refine(isIsoDate, { error: 'must be an API version date, YYYY-MM-DD' })
    .optional(),
  securityModel: z
    .enum(['monite-managed', 'partner-managed', 'hybrid'], {
      error: 'must be "monite-managed", "partner-managed" or "hybrid"',
    })
    .optional(),
  resolveEntityUser: fn('a function (context) => MoniteEntityUserRef | undefined').optional(),
  roleProvider: fn('a function (user) => MoniteRole, or an injectable MoniteRoleProvider class').optional(),
  tokenStore: tokenStoreSchema.optional(),
  isGlobal: z.boolean({ error: 'must be a boolean' }).optional(),
  tokenRefreshSkewMs: nonNegativeMs.optional(),
  entityUserTokenCacheMax: positiveCount.optional(),
  requestTimeoutMs: positiveMs.optional(),
  maxConcurrentTokenRequests: positiveCount.max(1_000, { error: 'must be at most 1,000' }).optional(),
  retry: retrySchema.optional(),
  warmUpPartnerToken: z.boolean({ error: 'must be a boolean' }).optional(),
  tokenEndpoint: tokenEndpointSchema.optional(),
  roleCacheTtlMs: nonNegativeMs.optional(),
  roleCacheMax: positiveCount.optional(),
  hooks: hooksSchema.optional(),
} satisfies { [K in keyof Required<MoniteAuthModuleOptions>]: z.ZodType };

const optionsSchema = z.strictObject(optionShape, {
  error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be an object'),
});

/**
 * Validates the module options and fills every default. Throws a {@link MoniteConfigurationError}
 * naming each bad option; the message never holds an option's value.
 */
export function resolveMoniteAuthOptions(raw: unknown): ResolvedMoniteAuthOptions {
  const parsed = optionsSchema.safeParse(unsealMoniteAuthOptions(raw));
  if (!parsed.success) {
    throw configurationError(parsed.error.issues.flatMap(describeIssue));
  }
  const options = parsed.data;
  const problems: string[] = [];

  const apiUrl =
    options.apiUrl ?? MONITE_ENVIRONMENT_URLS[options.environment ?? MONITE_AUTH_DEFAULTS.environment];
  const apiUrlProblem = checkUrl(apiUrl);
  if (apiUrlProblem) problems.push(`option "apiUrl" ${apiUrlProblem}`);
  const baseUrl = apiUrl.replace(/\/+$/, '');

  const endpoint = options.tokenEndpoint ?? {};
  const profile = endpoint.profile ?? 'monite';
  const tokenUrl = endpoint.url ?? `${baseUrl}/auth/token`;
  if (endpoint.url !== undefined) {
    const problem = checkUrl(endpoint.url);
    if (problem) problems.push(`option "tokenEndpoint.url" ${problem}`);
  }
  if (profile === 'monite' && endpoint.credentials !== undefined) {
    problems.push('option "tokenEndpoint.credentials" is only used with tokenEndpoint.profile "oauth2"');
  }
  if (profile === 'monite' && endpoint.scope !== undefined) {
    problems.push('option "tokenEndpoint.scope" is only used with tokenEndpoint.profile "oauth2"');
  }
  const scope = typeof endpoint.scope === 'string' ? endpoint.scope.split(' ') : (endpoint.scope ?? []);
  const scopeTokens = scope.filter((token) => token !== '');
  // RFC 6749 3.3: scope-token = 1*NQCHAR (printable ASCII except space, '"' and '\').
  if (!scopeTokens.every((token) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(token))) {
    problems.push(
      'option "tokenEndpoint.scope" must hold RFC 6749 scope tokens (printable ASCII, no quotes)',
    );
  }

  const securityModel = options.securityModel ?? MONITE_AUTH_DEFAULTS.securityModel;
  if (securityModel !== 'monite-managed' && options.roleProvider === undefined) {
    problems.push(`option "roleProvider" is required with securityModel "${securityModel}"`);
  }
  if (securityModel === 'monite-managed' && options.roleProvider !== undefined) {
    problems.push(
      'option "roleProvider" is only used by the "partner-managed" and "hybrid" security models ' +
        '(with "monite-managed" roles come from Monite)',
    );
  }

  const retry = { ...MONITE_AUTH_DEFAULTS.retry, ...options.retry };
  if (retry.maxDelayMs < retry.baseDelayMs) {
    problems.push('option "retry.maxDelayMs" must not be smaller than retry.baseDelayMs');
  }
  if (problems.length > 0) throw configurationError(problems);

  const resolved: ResolvedMoniteAuthOptions = {
    clientId: options.clientId,
    credentials: new MoniteClientCredentials(options.clientId, options.clientSecret),
    environment: options.environment ?? MONITE_AUTH_DEFAULTS.environment,
    apiUrl: baseUrl,
    apiVersion: options.apiVersion ?? MONITE_AUTH_DEFAULTS.apiVersion,
    securityModel,
    resolveEntityUser: options.resolveEntityUser as ResolvedMoniteAuthOptions['resolveEntityUser'],
    roleProvider: options.roleProvider as ResolvedMoniteAuthOptions['roleProvider'],
    tokenStore: options.tokenStore,
    isGlobal: options.isGlobal ?? false,
    tokenRefreshSkewMs: options.tokenRefreshSkewMs ?? MONITE_AUTH_DEFAULTS.tokenRefreshSkewMs,
    entityUserTokenCacheMax: options.entityUserTokenCacheMax ?? MONITE_AUTH_DEFAULTS.entityUserTokenCacheMax,
    requestTimeoutMs: options.requestTimeoutMs ?? MONITE_AUTH_DEFAULTS.requestTimeoutMs,
    maxConcurrentTokenRequests:
      options.maxConcurrentTokenRequests ?? MONITE_AUTH_DEFAULTS.maxConcurrentTokenRequests,
    retry: Object.freeze(retry),
    warmUpPartnerToken: options.warmUpPartnerToken ?? MONITE_AUTH_DEFAULTS.warmUpPartnerToken,
    tokenEndpoint: Object.freeze({
      profile,
      url: tokenUrl,
      credentials: profile === 'oauth2' ? (endpoint.credentials ?? 'body') : 'body',
      scope: Object.freeze(scopeTokens),
    }),
    revokeUrl: profile === 'monite' ? `${baseUrl}/auth/revoke` : undefined,
    roleCacheTtlMs: options.roleCacheTtlMs ?? MONITE_AUTH_DEFAULTS.roleCacheTtlMs,
    roleCacheMax: options.roleCacheMax ?? MONITE_AUTH_DEFAULTS.roleCacheMax,
    hooks: Object.freeze({ ...(options.hooks as ResolvedMoniteAuthOptions['hooks']) }),
  };
  return Object.freeze(resolved);
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `option "${path ? `${path}.` : ''}${key}" is not a known option`);
  }
  if (path === '') return [`options ${issue.message}`];
  return [`option "${path}" ${issue.message}`];
}

function configurationError(problems: string[]): MoniteConfigurationError {
  return new MoniteConfigurationError(`${PREFIX} ${problems.join('; ')}`);
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Why a URL is not acceptable for talking to Monite, or `undefined` when it is. */
export function checkUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not hold credentials';
  if (url.search !== '' || url.hash !== '') return 'must not hold a query or fragment';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'must use https unless it points to a loopback address';
  }
  return undefined;
}

/** 127.0.0.0/8, ::1 and localhost (the URL parser has already normalised forms like `127.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
