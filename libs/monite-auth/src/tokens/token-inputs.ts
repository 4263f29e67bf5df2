import { MoniteValidationError } from '../errors/index.js';
import { normalizeMoniteId } from '../monite-identity.js';

const ACCESS_TOKEN = /^[\x21-\x7E]{1,8192}$/;

/** The id in its one spelling (`normalizeMoniteId`); else a validation error naming `name`, never the value. */
export function requireMoniteId(value: unknown, name: string): string {
  const id = normalizeMoniteId(value);
  if (id === undefined) throw new MoniteValidationError(`nestjs-monite-auth: ${name} must be a UUID`);
  return id;
}

/** Refuses anything that cannot be an access token (quoting nothing of it). */
export function assertAccessToken(token: unknown, method: string): asserts token is string {
  if (typeof token !== 'string' || !ACCESS_TOKEN.test(token)) {
    throw new MoniteValidationError(`nestjs-monite-auth: ${method} needs an access token string`);
  }
}
