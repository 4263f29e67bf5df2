import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import { DEMO_SESSION, SESSION_COOKIE, type DemoSession } from './demo-session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RequestLike {
  headers?: Record<string, string | string[] | undefined>;
  [DEMO_SESSION]?: DemoSession | null;
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
  /** Ended sessions, by id, until they would have expired anyway. */
  private readonly ended = new Map<string, number>();

  constructor(@Inject(DEMO_SETTINGS) settings: DemoSettings) {
    // Without a configured secret, a random key: sessions simply end when the demo restarts.
    this.key = settings.sessionSecret ? Buffer.from(settings.sessionSecret, 'utf8') : randomBytes(32);
    this.ttlSeconds = settings.sessionTtlSeconds;
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
    const token =
      bearerToken(request.headers?.authorization) ?? cookie(request.headers?.cookie, SESSION_COOKIE);
    const session = token === undefined ? undefined : this.verify(token);
    request[DEMO_SESSION] = session ?? null;
    return session;
  }

  /** `Set-Cookie` value carrying a session token. */
  cookieFor(token: string): string {
    return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${this.ttlSeconds}`;
  }

  /** `Set-Cookie` value deleting the session cookie. */
  clearedCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
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
