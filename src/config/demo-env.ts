import { z } from 'zod';

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
  HOST: z.string().trim().min(1, { error: 'must be a host name or address' }).default('127.0.0.1'),
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
