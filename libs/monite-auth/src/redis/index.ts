// Public exports of redis/ (explicit names only). Re-exported by ../index.ts. Nothing here imports
// 'ioredis': the client is passed in by the user.
export { RedisTokenStore } from './redis-token-store.js';
export type { RedisTokenStoreClient, RedisTokenStoreSubscriber } from './redis-client.js';
export type { RedisTokenStoreLogger, RedisTokenStoreOptions } from './redis-token-store.options.js';
