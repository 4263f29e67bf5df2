import type { MoniteEntityUserRef } from 'nestjs-monite-auth';

/** Name of the session cookie set by `POST /auth/login`. */
export const SESSION_COOKIE = 'demo_session';

/** Who a session belongs to. */
export interface DemoSession extends MoniteEntityUserRef {
  /** Session id, so one session can be ended without ending the others. */
  sessionId: string;
  /** Demo login name (e.g. `carol`), when the user logged in by name. */
  login?: string;
  /** Expiry, epoch seconds. */
  expiresAt: number;
}

/** Where the resolved session is kept on the request (a Symbol: no clash, invisible to JSON). */
export const DEMO_SESSION = Symbol('DemoSession');
