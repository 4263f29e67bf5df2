import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StoredToken } from '../tokens/monite-token-store.js';
import { legacyTokenId, tokenId, type SealingKey, type SealingKeyring } from './sealing-keys.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The envelope written now: `<token id>.s2.<key id>.<base64url(IV | tag | ciphertext)>`. */
const SEALED = 's2.';
/** The envelope of earlier versions: `<token id>.gcm1:<base64url(IV | tag | ciphertext)>`, raw key. */
const LEGACY_SEALED = 'gcm1:';

/**
 * How a token sits in Redis: `<token id>.<envelope>`. The token id (an HMAC of the access token)
 * lets a revocation find and compare entries without opening them. The envelope is AES-256-GCM
 * with a random IV, under a key derived (HKDF) from a root key, naming that key, with the Redis
 * key as associated data: a value copied under another key (another user's), tampered with, or
 * sealed with a key this store does not hold reads as a miss. Plaintext values are never trusted.
 */
export class StoredTokenCodec {
  readonly #keys: SealingKeyring;

  constructor(keys: SealingKeyring) {
    this.#keys = keys;
  }

  /** The value to write and the token id it carries; `undefined` while the store holds no key. */
  encode(redisKey: string, token: StoredToken): { value: string; tokenId: string } | undefined {
    const key = this.#keys.writer;
    if (key === undefined) return undefined;
    const id = tokenId(key, token.accessToken);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.cipherKey, iv);
    cipher.setAAD(Buffer.from(associatedData(key, redisKey)));
    const json = JSON.stringify({ a: token.accessToken, e: token.expiresAt, r: token.refreshAt });
    const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    return { value: `${id}.${SEALED}${key.id}.${sealed}`, tokenId: id };
  }

  /** The token, or `undefined` for anything malformed, tampered with, moved or sealed with another key. */
  decode(redisKey: string, value: string): StoredToken | undefined {
    const dot = value.indexOf('.');
    if (dot === -1) return undefined;
    const id = value.slice(0, dot);
    const envelope = value.slice(dot + 1);
    if (envelope.startsWith(SEALED)) return this.#openCurrent(redisKey, id, envelope.slice(SEALED.length));
    if (envelope.startsWith(LEGACY_SEALED)) return this.#openLegacy(redisKey, id, envelope);
    return undefined;
  }

  #openCurrent(redisKey: string, id: string, rest: string): StoredToken | undefined {
    const dot = rest.indexOf('.');
    const key = dot === -1 ? undefined : this.#keys.byId(rest.slice(0, dot));
    if (key === undefined) return undefined;
    const json = open(key.cipherKey, associatedData(key, redisKey), rest.slice(dot + 1));
    const token = json === undefined ? undefined : parse(json);
    return token !== undefined && tokenId(key, token.accessToken) === id ? token : undefined;
  }

  /** Values of earlier versions: the raw configured key, the Redis key as associated data. */
  #openLegacy(redisKey: string, id: string, envelope: string): StoredToken | undefined {
    for (const { raw } of this.#keys.all) {
      if (raw === undefined) continue;
      const json = open(raw, redisKey, envelope.slice(LEGACY_SEALED.length));
      const token = json === undefined ? undefined : parse(json);
      if (token !== undefined) return legacyTokenId(raw, token.accessToken) === id ? token : undefined;
    }
    return undefined;
  }
}

function associatedData(key: SealingKey, redisKey: string): string {
  return `${SEALED}${key.id}\n${redisKey}`;
}

function open(cipherKey: Buffer, associated: string, body: string): string | undefined {
  const sealed = Buffer.from(body, 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cipherKey, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

function parse(json: string): StoredToken | undefined {
  try {
    const { a, e, r } = JSON.parse(json) as { a?: unknown; e?: unknown; r?: unknown };
    if (typeof a !== 'string' || a.length === 0) return undefined;
    if (typeof e !== 'number' || typeof r !== 'number' || !Number.isFinite(e) || !(r <= e)) return undefined;
    return { accessToken: a, tokenType: 'Bearer', expiresAt: e, refreshAt: r };
  } catch {
    return undefined;
  }
}
