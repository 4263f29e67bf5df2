/*
 * Entries as the store wrote them before the versioned envelope (commit c675ab2), rebuilt here from
 * that version's algorithm, independently of the library: the entry at `<prefix><key>` holding
 * `<token id>.gcm1:<base64url(IV | tag | ciphertext)>` (AES-256-GCM under the raw key, the Redis key
 * as associated data, token id = HMAC-SHA256(raw key, 'token-id:' + token)), or without a key
 * `<sha256(token)>.<JSON>`; and the index `<prefix>token-id:<token id>` naming the entry.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoredToken } from 'nestjs-monite-auth';

export function legacyTokenId(accessToken: string, rawKey?: Buffer): string {
  const hash = rawKey === undefined ? createHash('sha256') : createHmac('sha256', rawKey).update('token-id:');
  return hash.update(accessToken).digest('base64url');
}

export function legacyValue(redisKey: string, token: StoredToken, rawKey?: Buffer): string {
  const json = JSON.stringify({ a: token.accessToken, e: token.expiresAt, r: token.refreshAt });
  const id = legacyTokenId(token.accessToken, rawKey);
  if (rawKey === undefined) return `${id}.${json}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', rawKey, iv);
  cipher.setAAD(Buffer.from(redisKey));
  const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return `${id}.gcm1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

/** Writes an entry and its index as that version did (two commands), living as long as the token. */
export async function writeLegacyEntry(
  admin: Redis,
  prefix: string,
  key: string,
  token: StoredToken,
  rawKey?: Buffer,
): Promise<void> {
  const entryKey = `${prefix}${key}`;
  const ttl = Math.floor(token.expiresAt - Date.now());
  await admin.set(entryKey, legacyValue(entryKey, token, rawKey), 'PX', ttl);
  await admin.set(`${prefix}token-id:${legacyTokenId(token.accessToken, rawKey)}`, entryKey, 'PX', ttl);
}
