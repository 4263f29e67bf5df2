/** An access token as handed to callers. Opaque: never decode it, never log it. */
export interface MoniteAccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch milliseconds after which Monite no longer accepts it (counted from when the request was sent). */
  expiresAt: number;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The {@link MoniteAccessToken} the token service hands out: plain data (its JSON is the token, which
 * is what a caller sends on), that a log line made by mistake (`console.log(token)`, `util.inspect`)
 * or a string template shows redacted.
 */
export class HandedOutAccessToken implements MoniteAccessToken {
  readonly accessToken: string;
  readonly tokenType = 'Bearer' as const;
  readonly expiresAt: number;

  constructor(accessToken: string, expiresAt: number) {
    this.accessToken = accessToken;
    this.expiresAt = expiresAt;
  }

  [INSPECT](): string {
    return `MoniteAccessToken { accessToken: '[redacted]', tokenType: 'Bearer', expiresAt: ${this.expiresAt} }`;
  }

  toString(): string {
    return '[MoniteAccessToken]';
  }
}
