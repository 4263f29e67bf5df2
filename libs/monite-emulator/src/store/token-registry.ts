import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../clock.js';

/** Above this many tokens, issuing one first forgets long-expired ones. */
const SWEEP_ABOVE = 10_000;
/** An expired token answers "expired" for this long, then "unknown" (both are 401). */
const FORGET_EXPIRED_AFTER_MS = 60 * 60 * 1000;

export type TokenGrant = 'client_credentials' | 'entity_user' | 'oauth2_client_credentials';

/** What the emulator knows about an issued token. The token itself is not kept, only its hash. */
export interface IssuedToken {
  clientId: string;
  grant: TokenGrant;
  /** The entity user for `entity_user` tokens; null for partner tokens. */
  entityUserId: string | null;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  /** Scope accepted by the OAuth2 profile, if one was asked for. */
  scope?: string;
}

export type TokenLookup =
  { state: 'valid'; token: IssuedToken } | { state: 'unknown' | 'expired' | 'revoked'; token?: IssuedToken };

/**
 * Issues opaque random tokens (not JWTs: Monite's are opaque, and clients must not decode them)
 * and answers whether a presented token is valid, expired or revoked by the emulator clock.
 */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  private nextSweepAt = SWEEP_ABOVE;
  private issuedCount = 0;

  constructor(private readonly clock: EmulatorClock) {}

  issue(
    details: Pick<IssuedToken, 'clientId' | 'grant' | 'entityUserId' | 'scope'>,
    lifetimeSeconds: number,
  ): { accessToken: string; record: IssuedToken } {
    const accessToken = randomBytes(32).toString('base64url');
    const issuedAt = this.clock.now();
    const record: IssuedToken = {
      ...details,
      issuedAt,
      expiresAt: issuedAt + lifetimeSeconds * 1000,
      revoked: false,
    };
    if (record.scope === undefined) delete record.scope;
    if (this.tokens.size >= this.nextSweepAt) {
      this.sweep(issuedAt);
      // The next sweep waits until the registry doubles, so issuing stays O(1) amortised.
      this.nextSweepAt = Math.max(SWEEP_ABOVE, this.tokens.size * 2);
    }
    this.tokens.set(digest(accessToken), record);
    this.issuedCount += 1;
    return { accessToken, record };
  }

  lookup(accessToken: string): TokenLookup {
    const token = this.tokens.get(digest(accessToken));
    if (!token) return { state: 'unknown' };
    if (token.revoked) return { state: 'revoked', token };
    // Expired at the instant `expires_in` runs out, inclusive.
    if (this.clock.now() >= token.expiresAt) return { state: 'expired', token };
    return { state: 'valid', token };
  }

  /** Marks a token revoked; unknown tokens are ignored (RFC 7009 2.2). Returns whether one was found. */
  revoke(accessToken: string): boolean {
    const token = this.tokens.get(digest(accessToken));
    if (!token) return false;
    token.revoked = true;
    return true;
  }

  /** Tokens issued since start or the last reset (every grant). */
  issued(): number {
    return this.issuedCount;
  }

  /** Forgets tokens expired for a while, so long runs (benchmarks) keep memory flat. */
  private sweep(now: number): void {
    for (const [key, token] of this.tokens) {
      if (now - token.expiresAt > FORGET_EXPIRED_AFTER_MS) this.tokens.delete(key);
    }
  }

  clear(): void {
    this.tokens.clear();
    this.nextSweepAt = SWEEP_ABOVE;
    this.issuedCount = 0;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
