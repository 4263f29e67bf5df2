/**
 * Where the store keeps things in Redis.
 *
 * Every key of the current layout carries the hash tag `{tokens}` after the prefix, so on a Redis
 * Cluster they all live in one slot and one script can write an entry, its token index and check
 * a revocation marker in one atomic step. (A prefix with its own `{tag}` wins: Redis hashes the
 * first tag of a key.) The layout of earlier versions (`<prefix><key>`, `<prefix>token-id:<id>`)
 * is still read and cleaned up, so an upgrade costs no token request.
 */
export class RedisKeyLayout {
  private readonly tagged: string;

  constructor(private readonly prefix: string) {
    this.tagged = `${prefix}{tokens}:`;
  }

  /** The entry holding the token of a store key. */
  entry(key: string): string {
    return `${this.tagged}entry:${key}`;
  }

  /** Every entry key starts with this: a script refuses to touch anything else through an index. */
  get entryPrefix(): string {
    return `${this.tagged}entry:`;
  }

  /** The store key of an entry key, `undefined` for any other key. */
  storeKeyOf(entryKey: string): string | undefined {
    if (entryKey.startsWith(this.entryPrefix)) return entryKey.slice(this.entryPrefix.length);
    if (entryKey.startsWith(this.prefix)) return entryKey.slice(this.prefix.length);
    return undefined;
  }

  /** Token id -> the entry key holding that token, so a revocation finds it by the token alone. */
  index(tokenId: string): string {
    return `${this.tagged}token-id:${tokenId}`;
  }

  /** Set by a revocation: a write of that token landing later (a resent command) is refused. */
  revoked(tokenId: string): string {
    return `${this.tagged}revoked:${tokenId}`;
  }

  /** The mint lock of a store key. */
  lock(key: string): string {
    return `${this.tagged}lock:${key}`;
  }

  /** The pub/sub channel of invalidations. */
  get channel(): string {
    return `${this.prefix}invalidations`;
  }

  /** The entry key of earlier versions. */
  legacyEntry(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** The token index of earlier versions. */
  legacyIndex(legacyTokenId: string): string {
    return `${this.prefix}token-id:${legacyTokenId}`;
  }
}
