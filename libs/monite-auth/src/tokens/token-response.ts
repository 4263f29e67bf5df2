import { z } from 'zod';

/** A token response reduced to what the service keeps. */
export interface TokenResponse {
  accessToken: string;
  expiresInSeconds: number;
}

const tokenResponseSchema = z.object({
  // Visible ASCII only: the token goes into an Authorization header verbatim.
  access_token: z
    .string({ error: 'access_token is missing' })
    .regex(/^[\x21-\x7E]{1,8192}$/, { error: 'access_token is not a token' }),
  expires_in: z
    .number({ error: 'expires_in must be a number of seconds' })
    .min(1, { error: 'expires_in must be at least 1 second' })
    .max(Number.MAX_SAFE_INTEGER / 1000, { error: 'expires_in is out of range' }),
  // RFC 6749 5.1: the type is case-insensitive; only Bearer is something we know how to send.
  token_type: z
    .string({ error: 'token_type must be a string' })
    .refine((type) => type.toLowerCase() === 'bearer', { error: 'token_type is not Bearer' })
    .optional(),
});

/**
 * Parses a token endpoint's 2xx body. Returns the token, or what is wrong with the body (naming the
 * field, never quoting the body, which may hold a token).
 */
export function parseTokenResponse(body: string): TokenResponse | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problem: 'the body is not a JSON object' };
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success)
    return { problem: parsed.error.issues[0]?.message ?? 'the body is not a token response' };
  return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}
