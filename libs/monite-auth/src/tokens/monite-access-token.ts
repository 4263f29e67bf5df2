/** An access token as handed to callers. Opaque: never decode it, never log it. */
export interface MoniteAccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch milliseconds after which Monite no longer accepts it (counted from when the request was sent). */
  expiresAt: number;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The {@link MoniteAccessToken} the token service hands out: frozen plain data (its JSON is the
 * token, which is what a caller sends on), that a log line made by mistake (`console.log(token)`,
 * `util.inspect`) or a string template shows redacted.
 */
export class HandedOutAccessToken implements MoniteAccessToken {
  // Declared, not defined as class fields: plain assignments keep the hot path as cheap as a literal.
  declare readonly accessToken: string;
  declare readonly tokenType: 'Bearer';
  declare readonly expiresAt: number;

  constructor(accessToken: string, expiresAt: number) {
    (this as { accessToken: string }).accessToken = accessToken;
    (this as { tokenType: 'Bearer' }).tokenType = 'Bearer';
    (this as { expiresAt: number }).expiresAt = expiresAt;
    Object.freeze(this);
  }

  [INSPECT](): string {
    return `MoniteAccessToken { accessToken: '[redacted]', tokenType: 'Bearer', expiresAt: ${this.expiresAt} }`;
  }

  toString(): string {
    return '[MoniteAccessToken]';
  }
}
