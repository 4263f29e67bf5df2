import { z } from 'zod';
import { canonicalHostName } from '../security/host-names.js';

/** Monite's base URLs, for the banner; the library resolves the same names itself. */
export type MoniteEnvironmentName = 'sandbox' | 'eu' | 'na';
export type SecurityModelName = 'monite-managed' | 'partner-managed' | 'hybrid';

/**
 * The demo's settings, parsed from the environment (`.env` and the process environment).
 * `monite` is undefined when no credentials are configured: the demo then runs the local emulator.
 */
export interface DemoSettings {
  port: number;
  host: string;
  monite?: {
    clientId: string;
    clientSecret: string;
    environment: MoniteEnvironmentName;
    apiUrl?: string;
  };
  apiVersion: string;
  securityModel: SecurityModelName;
  /** HMAC key of the demo's session tokens; undefined: a random key per start (sessions end on restart). */
  sessionSecret?: string;
  sessionTtlSeconds: number;
  /** Port of the in-process emulator (0: any free port). */
  emulatorPort: number;
  /**
   * Login by entity user id with real Monite credentials (`DEMO_ALLOW_ID_LOGIN=true`). Unsafe:
   * anyone who reaches the demo can then act as any entity user. Always on with the emulator.
   */
  allowIdLogin: boolean;
  /** The origin browsers see the demo at, behind a proxy (`https://ap.example.com`); undefined: none. */
  publicOrigin?: string;
  /** Host names besides loopback, `HOST` and the public origin's that the demo answers to (lower case). */
  allowedHosts: string[];
  /** Login tries per client address and window, then 429 (`/auth/login` only). */
  loginLimit: number;
  loginWindowSeconds: number;
}

/** A configuration problem at boot. The message names the variables, never their values. */
export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const port = (fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .transform((value) => (value === '' ? String(fallback) : value))
    .refine((value) => /^\d{1,5}$/.test(value) && Number(value) <= 65535, {
      error: 'must be a port number from 0 to 65535',
    })
    .transform(Number);

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .transform((value) => (value === '' ? String(fallback) : value))
    .refine((value) => /^\d{1,6}$/.test(value) && Number(value) >= min && Number(value) <= max, {
      error: `must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

/** `https://ap.example.com` as its origin; undefined unless it is an http(s) origin and nothing more. */
function publicOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = !url.username && !url.password && !url.search && !url.hash && url.pathname === '/';
  return ['http:', 'https:'].includes(url.protocol) && bare ? url.origin : undefined;
}

/*
 * Every message below is fixed text: zod's defaults can quote the input, and an input may be a
 * secret pasted into the wrong variable.
 */
const envSchema = z.object({
  MONITE_CLIENT_ID: optionalText,
  MONITE_CLIENT_SECRET: z
    .string()
    .transform((value) => (value.trim() === '' ? undefined : value))
    .optional(),
  MONITE_ENVIRONMENT: z
    .enum(['sandbox', 'eu', 'na'], { error: 'must be sandbox, eu or na' })
    .default('sandbox'),
  MONITE_API_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL ending in /v1' }).optional(),
  ),
  MONITE_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be an API version date, YYYY-MM-DD' })
    .default('2024-05-25'),
  MONITE_SECURITY_MODEL: z
    .enum(['monite-managed', 'partner-managed', 'hybrid'], {
      error: 'must be monite-managed, partner-managed or hybrid',
    })
    .default('monite-managed'),
  PORT: port(3000),
  HOST: z
    .string()
    .trim()
    .default('127.0.0.1')
    .refine((value) => canonicalHostName(value) !== undefined, { error: 'must be a host name or address' }),
  DEMO_SESSION_SECRET: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || value.length >= 32, {
      error: 'must be at least 32 characters long',
    }),
  DEMO_SESSION_TTL_SECONDS: z
    .string()
    .default('28800')
    .refine((value) => /^\d{1,7}$/.test(value) && Number(value) >= 60, {
      error: 'must be a whole number of seconds, at least 60',
    })
    .transform(Number),
  MONITE_EMULATOR_PORT: port(0),
  DEMO_ALLOW_ID_LOGIN: z
    .string()
    .trim()
    .default('false')
    .refine((value) => ['true', 'false', ''].includes(value), { error: 'must be true or false' })
    .transform((value) => value === 'true'),
  DEMO_PUBLIC_ORIGIN: optionalText.refine(
    (value) => value === undefined || publicOrigin(value) !== undefined,
    {
      error: 'must be an http(s) origin without a path, e.g. https://ap.example.com',
    },
  ),
  DEMO_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .refine((names) => names.every((name) => canonicalHostName(name) !== undefined), {
      error: 'must be a comma-separated list of host names or IP addresses, without ports',
    })
    .transform((names) => names.map((name) => canonicalHostName(name) as string)),
  DEMO_LOGIN_LIMIT: wholeNumber(10, 1, 100_000),
  DEMO_LOGIN_WINDOW_SECONDS: wholeNumber(60, 1, 86_400),
});

/** Every variable the demo reads (`.env.example` lists them all). */
export const DEMO_ENV_VARIABLES = Object.keys(envSchema.shape);

/**
 * Validates the environment and returns the demo's settings, or throws a {@link DemoConfigError}
 * listing every bad variable by name. No value is ever quoted back.
 */
export function parseDemoEnv(env: Record<string, string | undefined>): DemoSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.')} ${issue.message}`,
    );
    throw new DemoConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  const hasId = vars.MONITE_CLIENT_ID !== undefined;
  const hasSecret = vars.MONITE_CLIENT_SECRET !== undefined;
  if (hasId !== hasSecret) {
    const missing = hasId ? 'MONITE_CLIENT_SECRET' : 'MONITE_CLIENT_ID';
    throw new DemoConfigError(
      `Invalid configuration: ${missing} is required when ${hasId ? 'MONITE_CLIENT_ID' : 'MONITE_CLIENT_SECRET'} is set ` +
        '(set both to talk to Monite, or neither to run the local emulator)',
    );
  }
  return {
    port: vars.PORT,
    host: vars.HOST,
    monite: hasId && hasSecret ? moniteSettings(vars) : undefined,
    apiVersion: vars.MONITE_API_VERSION,
    securityModel: vars.MONITE_SECURITY_MODEL,
    sessionSecret: vars.DEMO_SESSION_SECRET,
    sessionTtlSeconds: vars.DEMO_SESSION_TTL_SECONDS,
    emulatorPort: vars.MONITE_EMULATOR_PORT,
    allowIdLogin: vars.DEMO_ALLOW_ID_LOGIN,
    publicOrigin: vars.DEMO_PUBLIC_ORIGIN === undefined ? undefined : publicOrigin(vars.DEMO_PUBLIC_ORIGIN),
    allowedHosts: vars.DEMO_ALLOWED_HOSTS,
    loginLimit: vars.DEMO_LOGIN_LIMIT,
    loginWindowSeconds: vars.DEMO_LOGIN_WINDOW_SECONDS,
  };
}

/** The Monite part, its secret non-enumerable: absent from `JSON.stringify` and `util.inspect`. */
function moniteSettings(vars: z.output<typeof envSchema>): NonNullable<DemoSettings['monite']> {
  const monite = {
    clientId: vars.MONITE_CLIENT_ID as string,
    environment: vars.MONITE_ENVIRONMENT,
    apiUrl: vars.MONITE_API_URL,
  };
  Object.defineProperty(monite, 'clientSecret', { value: vars.MONITE_CLIENT_SECRET, enumerable: false });
  return monite as NonNullable<DemoSettings['monite']>;
}
