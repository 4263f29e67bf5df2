import type { Revocation } from './redis-revocations.js';

/** Most deletions remembered during one outage; beyond it the oldest are dropped (they expire anyway). */
const MAX_PENDING = 10_000;

/**
 * Deletions Redis missed while the store served from memory (key deletions and revocations, by
 * token ids, never the token), replayed in order once Redis answers again.
 */
export class RedisOutageBacklog {
  readonly #keys = new Set<string>();
  readonly #revocations: Revocation[] = [];

  addKey(key: string): void {
    this.#keys.delete(key);
    if (this.#keys.size >= MAX_PENDING) this.#keys.delete(this.#keys.values().next().value!);
    this.#keys.add(key);
  }

  addRevocation(revocation: Revocation): void {
    if (this.#revocations.length >= MAX_PENDING) this.#revocations.shift();
    this.#revocations.push(revocation);
  }

  /** Replays everything; what fails stays for the next try (the rejection keeps the store degraded). */
  async replay(
    deleteKey: (key: string) => Promise<void>,
    revoke: (revocation: Revocation) => Promise<void>,
  ): Promise<void> {
    for (const key of this.#keys) {
      await deleteKey(key);
      this.#keys.delete(key);
    }
    while (this.#revocations.length > 0) {
      await revoke(this.#revocations[0]!);
      this.#revocations.shift();
    }
  }
}
