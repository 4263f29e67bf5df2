import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import { OwnOrigins } from '../security/own-origins.js';
import { DEMO_SESSION, SESSION_COOKIE, type DemoSession } from './demo-session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RequestLike {
  headers?: Record<string, string | string[] | undefined>;
  [DEMO_SESSION]?: DemoSession | null;
}

/** How a request presents its session token: `Authorization: Bearer`, or the session cookie. */
export interface SessionCredential {
  via: 'bearer' | 'cookie';
  token: string;
}

/**
 * The demo's own sign-in: a session token `payload.signature` (HMAC-SHA256), sent back as a
 * Bearer token or the `demo_session` cookie. This stands in for whatever authentication a real
 * app has (passwords, SSO); the library only needs to know which Monite entity user a request
 * acts for.
 */
@Injectable()
export class SessionTokenService {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;
  /** `; Secure` off loopback: the cookie then travels over HTTPS only. */
  private readonly secureAttribute: string;
  /** Ended sessions, by id, until they would have expired anyway. */
  private readonly ended = new Map<string, number>();

  constructor(@Inject(DEMO_SETTINGS) settings: DemoSettings, own: OwnOrigins) {
    // Without a configured secret, a random key: sessions simply end when the demo restarts.
    this.key = settings.sessionSecret ? Buffer.from(settings.sessionSecret, 'utf8') : randomBytes(32);
    this.ttlSeconds = settings.sessionTtlSeconds;
    this.secureAttribute = own.secureCookies ? '; Secure' : '';
  }

  /** Starts a session for an entity user and returns its token. */
  issue(user: { entityUserId: string; entityId: string; login?: string }): {
    token: string;
    session: DemoSession;
  } {
    const session: DemoSession = {
      entityUserId: user.entityUserId,
      entityId: user.entityId,
      sessionId: randomUUID(),
      ...(user.login !== undefined ? { login: user.login } : {}),
      expiresAt: Math.floor(Date.now() / 1000) + this.ttlSeconds,
    };
    const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, session };
  }

  /** The session of a token, or undefined when the token is malformed, forged, expired or ended. */
  verify(token: string): DemoSession | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let session: Partial<DemoSession>;
    try {
      session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<DemoSession>;
    } catch {
      return undefined;
    }
    if (
      typeof session.entityUserId !== 'string' ||
      !UUID.test(session.entityUserId) ||
      typeof session.entityId !== 'string' ||
      !UUID.test(session.entityId) ||
      typeof session.sessionId !== 'string' ||
      typeof session.expiresAt !== 'number' ||
      session.expiresAt * 1000 <= Date.now() ||
      this.ended.has(session.sessionId)
    ) {
      return undefined;
    }
    return session as DemoSession;
  }

  /** Ends a session: its token is refused from now on. */
  end(session: DemoSession): void {
    const now = Math.floor(Date.now() / 1000);
    for (const [id, expiresAt] of this.ended) if (expiresAt <= now) this.ended.delete(id);
    this.ended.set(session.sessionId, session.expiresAt);
  }

  /**
   * The session of an HTTP request (Express or Fastify): `Authorization: Bearer <token>` first,
   * else the `demo_session` cookie. Worked out once per request.
   */
  fromRequest(request: RequestLike): DemoSession | undefined {
    if (request[DEMO_SESSION] !== undefined) return request[DEMO_SESSION] ?? undefined;
    const credential = this.credentialOf(request);
    const session = credential === undefined ? undefined : this.verify(credential.token);
    request[DEMO_SESSION] = session ?? null;
    return session;
  }

  /**
   * The token a request presents, and how: a Bearer token wins, and the cookie is then ignored,
   * whether that token is valid or not. Undefined when it presents neither.
   */
  credentialOf(request: RequestLike): SessionCredential | undefined {
    const bearer = bearerToken(request.headers?.authorization);
    if (bearer !== undefined) return { via: 'bearer', token: bearer };
    const fromCookie = cookie(request.headers?.cookie, SESSION_COOKIE);
    return fromCookie === undefined ? undefined : { via: 'cookie', token: fromCookie };
  }

  /** `Set-Cookie` value carrying a session token. */
  cookieFor(token: string): string {
    return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${this.secureAttribute}; Max-Age=${this.ttlSeconds}`;
  }

  /** `Set-Cookie` value deleting the session cookie. */
  clearedCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax${this.secureAttribute}; Max-Age=0`;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function cookie(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) {
      return part.slice(separator + 1).trim() || undefined;
    }
  }
  return undefined;
}
