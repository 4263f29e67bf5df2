import type { Logger } from '@nestjs/common';
import type { MoniteTokenStore, StoredToken } from './monite-token-store.js';

/**
 * Reads and writes of the token store that never fail a caller: a store that fails is a cache miss,
 * and a write that fails is skipped, warned once per outage. The store's own error is not logged:
 * it may name a connection string with a password.
 */
export class TolerantTokenStore {
  private failing = false;

  constructor(
    private readonly store: MoniteTokenStore,
    private readonly logger: Logger,
  ) {}

  async read(key: string): Promise<StoredToken | undefined> {
    try {
      const token = await this.store.get(key);
      this.failing = false;
      return token;
    } catch {
      this.failed('read');
      return undefined;
    }
  }

  async write(key: string, token: StoredToken): Promise<void> {
    try {
      await this.store.set(key, token);
      this.failing = false;
    } catch {
      this.failed('write');
    }
  }

  private failed(operation: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(
      `the token store failed to ${operation}; tokens are fetched without it until it recovers`,
    );
  }
}
