import { isIP } from 'node:net';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';

/** The parts of Express' `req` and Fastify's `request` read here. */
interface ClientRequest {
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** Express' `res` and Fastify's `reply` both have `header`. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

/** One client's tries in the current window. */
interface LoginWindow {
  tries: number;
  endsAt: number;
}

/** Clients remembered at once; the least recently seen is forgotten first. */
const MAX_CLIENTS = 10_000;

/**
 * Limits `POST /auth/login` per client address: `DEMO_LOGIN_LIMIT` tries per
 * `DEMO_LOGIN_WINDOW_SECONDS`, then 429 with `Retry-After` until the window ends. A guard runs
 * before the body is read, so a refused try costs Monite nothing (a login by id asks Monite,
 * against the partner's rate limit). Counts live in this process (one limit per demo process).
 * The address is the TCP peer's: behind a proxy every client shares the proxy's address.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows: LRUCache<string, LoginWindow>;

  constructor(@Inject(DEMO_SETTINGS) settings: DemoSettings) {
    this.limit = settings.loginLimit;
    this.windowMs = settings.loginWindowSeconds * 1000;
    this.windows = new LRUCache({ max: MAX_CLIENTS, ttl: this.windowMs });
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const now = Date.now();
    const window = this.windowOf(this.getTracker(http.getRequest<ClientRequest>()), now);
    window.tries += 1;
    if (window.tries > this.limit) {
      this.throwThrottlingException(
        http.getResponse<HeaderSetter>(),
        Math.ceil((window.endsAt - now) / 1000),
      );
    }
    return true;
  }

  /** Who is counted: the client address, an IPv6 client by its /64 (one host usually holds it all). */
  protected getTracker(request: ClientRequest): string {
    const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const mapped = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    return isIP(mapped) === 6 ? ipv6Prefix64(mapped) : mapped;
  }

  protected throwThrottlingException(response: HeaderSetter, retryAfterSeconds: number): never {
    response.header('Retry-After', String(Math.max(1, retryAfterSeconds)));
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: 'Too many login attempts from your address: try again after Retry-After seconds',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private windowOf(client: string, now: number): LoginWindow {
    const current = this.windows.get(client);
    if (current !== undefined && current.endsAt > now) return current;
    const fresh = { tries: 0, endsAt: now + this.windowMs };
    this.windows.set(client, fresh);
    return fresh;
  }
}

/** `2001:db8:1:2:3::9` -> `2001:db8:1:2::/64`. */
function ipv6Prefix64(address: string): string {
  const [head, tail] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
