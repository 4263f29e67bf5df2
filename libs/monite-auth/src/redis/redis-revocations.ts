import { entityUserIdOfKey } from '../tokens/token-cache-key.js';
import type { RedisCommands } from './redis-commands.js';
import type { RedisKeyLayout } from './redis-key-layout.js';
import { DELETE_IF_TOKEN, REVOKE_TOKEN } from './redis-scripts.js';

/** A token to revoke, by its ids (never the token itself, which an outage may keep in memory a while). */
export interface Revocation {
  /** One per sealing key (current layout). */
  readonly tokenIds: readonly string[];
  /** As earlier versions computed them (their layout). */
  readonly legacyTokenIds: readonly string[];
  /** The store key the token was cached under, when the caller knows it. */
  readonly key?: string;
}

/**
 * How long a revocation marker lives when the token's remaining life is unknown (no index found):
 * the longest the token service keeps any token.
 */
const MARKER_MS = 24 * 60 * 60 * 1000;

/** Revocation in both layouts; tells whose tokens they were. */
export class RedisRevocations {
  readonly #commands: RedisCommands;
  readonly #layout: RedisKeyLayout;

  constructor(commands: RedisCommands, layout: RedisKeyLayout) {
    this.#commands = commands;
    this.#layout = layout;
  }

  /** Revokes the token; resolves to the entity user ids of the entries its indexes named. */
  async revoke(revocation: Revocation): Promise<string[]> {
    const [current, legacy] = await Promise.all([this.#current(revocation), this.#legacy(revocation)]);
    const users = new Set<string>();
    for (const entryKey of [...current, ...legacy]) {
      const storeKey = this.#layout.storeKeyOf(entryKey);
      const entityUserId = storeKey === undefined ? undefined : entityUserIdOfKey(storeKey);
      if (entityUserId !== undefined) users.add(entityUserId);
    }
    return [...users];
  }

  /** One atomic script over keys of one hash slot. */
  async #current({ tokenIds, key }: Revocation): Promise<string[]> {
    if (tokenIds.length === 0) return [];
    const layout = this.#layout;
    const keys = tokenIds.flatMap((id) => [layout.index(id), layout.revoked(id)]);
    if (key !== undefined) keys.push(layout.entry(key));
    const found = await this.#commands.run((redis) =>
      redis.eval(
        REVOKE_TOKEN,
        keys.length,
        ...keys,
        layout.entryPrefix,
        MARKER_MS,
        tokenIds.length,
        ...tokenIds,
      ),
    );
    return Array.isArray(found) ? found.filter((entry): entry is string => typeof entry === 'string') : [];
  }

  /** The earlier layout: separate commands, as its keys may live in different Cluster slots. */
  async #legacy({ legacyTokenIds, key }: Revocation): Promise<string[]> {
    const layout = this.#layout;
    const run = this.#commands.run.bind(this.#commands);
    const found: string[] = [];
    await Promise.all(
      legacyTokenIds.map(async (id) => {
        const indexKey = layout.legacyIndex(id);
        const entryKey = await run((redis) => redis.get(indexKey));
        if (entryKey !== null) {
          if (layout.storeKeyOf(entryKey) !== undefined) {
            found.push(entryKey);
            await run((redis) => redis.eval(DELETE_IF_TOKEN, 1, entryKey, `${id}.`));
          }
          await run((redis) => redis.del(indexKey));
        }
        if (key !== undefined) {
          await run((redis) => redis.eval(DELETE_IF_TOKEN, 1, layout.legacyEntry(key), `${id}.`));
        }
      }),
    );
    return found;
  }
}
