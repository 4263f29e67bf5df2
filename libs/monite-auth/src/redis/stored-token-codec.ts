import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { StoredToken } from '../tokens/monite-token-store.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENCRYPTED = 'gcm1:';

/**
 * How a token sits in Redis: `<token id>.<body>`. The token id (a hash of the access token, keyed
 * when encryption is on) lets a revocation find and compare entries without decrypting them. The
 * body is the token as JSON, or with an encryption key `gcm1:` + base64url(IV | tag | ciphertext),
 * AES-256-GCM with a random IV and the Redis key as associated data, so a value copied under
 * another key, tampered with or written under another key fails to decode.
 */
export class StoredTokenCodec {
  constructor(private readonly encryptionKey: Buffer | undefined) {}

  /** A stable id of an access token: never the token itself, never reversible. */
  tokenId(accessToken: string): string {
    const hash =
      this.encryptionKey === undefined
        ? createHash('sha256')
        : createHmac('sha256', this.encryptionKey).update('token-id:');
    return hash.update(accessToken).digest('base64url');
  }

  encode(redisKey: string, token: StoredToken): string {
    const json = JSON.stringify({ a: token.accessToken, e: token.expiresAt, r: token.refreshAt });
    return `${this.tokenId(token.accessToken)}.${this.seal(redisKey, json)}`;
  }

  /** The token, or `undefined` for anything malformed, tampered with or sealed with another key. */
  decode(redisKey: string, value: string): StoredToken | undefined {
    const dot = value.indexOf('.');
    if (dot === -1) return undefined;
    const json = this.open(redisKey, value.slice(dot + 1));
    if (json === undefined) return undefined;
    try {
      const parsed = JSON.parse(json) as { a?: unknown; e?: unknown; r?: unknown };
      const { a, e, r } = parsed;
      if (typeof a !== 'string' || a.length === 0) return undefined;
      if (typeof e !== 'number' || typeof r !== 'number' || !Number.isFinite(e) || !(r <= e))
        return undefined;
      if (this.tokenId(a) !== value.slice(0, dot)) return undefined;
      return { accessToken: a, tokenType: 'Bearer', expiresAt: e, refreshAt: r };
    } catch {
      return undefined;
    }
  }

  private seal(redisKey: string, plaintext: string): string {
    if (this.encryptionKey === undefined) return plaintext;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(redisKey));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ENCRYPTED + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  private open(redisKey: string, body: string): string | undefined {
    // With a key, only sealed values count: a plaintext value planted in Redis is not trusted.
    if (this.encryptionKey === undefined) return body.startsWith(ENCRYPTED) ? undefined : body;
    if (!body.startsWith(ENCRYPTED)) return undefined;
    const sealed = Buffer.from(body.slice(ENCRYPTED.length), 'base64url');
    if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(redisKey));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plaintext = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return plaintext.toString('utf8');
    } catch {
      return undefined;
    }
  }
}
