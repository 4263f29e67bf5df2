import { createHash, createHmac, hkdfSync } from 'node:crypto';

/** Everything derived from one root key (HKDF-SHA256), never the root itself except for old values. */
export interface SealingKey {
  /** Names the key inside sealed values and messages, so a reader picks the key without trying each. */
  readonly id: string;
  /** AES-256-GCM key of entries. */
  readonly cipherKey: Buffer;
  /** HMAC key of token ids (index, compare-and-delete). */
  readonly tokenIdKey: Buffer;
  /** HMAC key of invalidation messages. */
  readonly messageKey: Buffer;
  /** A configured key as given: opens values sealed by earlier versions (`gcm1:`), which used it raw. */
  readonly raw?: Buffer;
}

const SALT = 'nestjs-monite-auth redis token store';

function derive(root: Buffer, purpose: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', root, SALT, `v2 ${purpose}`, bytes));
}

function sealingKey(root: Buffer, raw: boolean): SealingKey {
  return Object.freeze({
    id: derive(root, 'key id', 6).toString('base64url'),
    cipherKey: derive(root, 'aes-256-gcm', 32),
    tokenIdKey: derive(root, 'token id', 32),
    messageKey: derive(root, 'invalidation messages', 32),
    ...(raw ? { raw: Buffer.from(root) } : {}),
  });
}

/**
 * The store's keys: the configured ones (`encryptionKey`, current first) and the one derived from
 * the client credentials that the token service hands over. Values are written with the first
 * configured key, else the derived one; values sealed with any of them are read. Private fields:
 * no inspection of the store reaches a key.
 */
export class SealingKeyring {
  readonly #configured: readonly SealingKey[];
  #derived: SealingKey | undefined;
  #all: readonly SealingKey[];

  constructor(configured: readonly Buffer[]) {
    this.#configured = dedupe(configured.map((key) => sealingKey(key, true)));
    this.#all = this.#configured;
  }

  /** Adds the derived key (the first hand-over wins; later ones are ignored). */
  useDerived(material: Uint8Array): void {
    if (this.#derived !== undefined) return;
    this.#derived = sealingKey(Buffer.from(material), false);
    this.#all = dedupe([...this.#configured, this.#derived]);
  }

  /** The key new values are sealed with; `undefined` until there is one. */
  get writer(): SealingKey | undefined {
    return this.#all[0];
  }

  /** Every key values may be sealed with, the writer first. */
  get all(): readonly SealingKey[] {
    return this.#all;
  }

  byId(id: string): SealingKey | undefined {
    return this.#all.find((key) => key.id === id);
  }

  /** The token's id under each key: an entry sealed with any of them is found by one of these. */
  tokenIds(accessToken: string): string[] {
    return [...new Set(this.#all.map((key) => tokenId(key, accessToken)))];
  }

  /**
   * The token's ids as earlier versions wrote them: a plain SHA-256 without a key, an HMAC under
   * the raw key (prefixed `token-id:`) with one.
   */
  legacyTokenIds(accessToken: string): string[] {
    const ids = [createHash('sha256').update(accessToken).digest('base64url')];
    for (const { raw } of this.#configured) if (raw !== undefined) ids.push(legacyTokenId(raw, accessToken));
    return [...new Set(ids)];
  }
}

export function tokenId(key: SealingKey, accessToken: string): string {
  return createHmac('sha256', key.tokenIdKey).update(accessToken).digest('base64url');
}

export function legacyTokenId(raw: Buffer, accessToken: string): string {
  return createHmac('sha256', raw).update('token-id:').update(accessToken).digest('base64url');
}

function dedupe(keys: SealingKey[]): SealingKey[] {
  return keys.filter((key, index) => keys.findIndex((other) => other.id === key.id) === index);
}
