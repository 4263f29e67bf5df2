/** An access token as handed to callers. Opaque: never decode it, never log it. */
export interface MoniteAccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch milliseconds after which Monite no longer accepts it (counted from when the request was sent). */
  expiresAt: number;
}
