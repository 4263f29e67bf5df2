/**
 * The few Redis commands `RedisTokenStore` uses, written structurally so the library neither
 * imports `ioredis` at run time nor needs its types to compile: an ioredis `Redis` or `Cluster`
 * instance fits as it is.
 */
export interface RedisTokenStoreClient {
  /**
   * Connection state as ioredis reports it (`ready`, `reconnecting`, `end` ...). While it says the
   * connection is being re-established or is closed, the store uses its fallback without waiting.
   */
  readonly status?: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): Promise<unknown>;
  set(
    key: string,
    value: string,
    millisecondsToken: 'PX',
    milliseconds: number,
    nx: 'NX',
  ): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
  ping(): Promise<unknown>;
  /** Sends an invalidation to the other replicas. Without it, invalidations stay in this process. */
  publish?(channel: string, message: string): Promise<unknown>;
  /**
   * A new connection with the same settings, for the subscriber (a connection that subscribes can
   * run no other command). Without it, this process hears no other replica's invalidations.
   */
  duplicate?(): RedisTokenStoreSubscriber;
}

/** The connection `duplicate()` returns, as the store uses it: subscribe, listen, close. */
export interface RedisTokenStoreSubscriber {
  readonly status?: string;
  subscribe(...channels: string[]): Promise<unknown>;
  /** ioredis events: `message` (channel, message), `ready`, `close`, `error`. */
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  disconnect(): void;
}
