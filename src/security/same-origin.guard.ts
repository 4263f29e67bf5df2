import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SessionTokenService } from '../auth/session-token.service.js';
import { OwnOrigins } from './own-origins.js';

/** The part of Express' `req` and Fastify's `request` read here. */
export interface GuardedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Methods that change nothing, so a cross-site page gains nothing by sending them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `application/json` and `application/<something>+json`: what no cross-site form can send. */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json$/;

/**
 * Cross-site request forgery defence for the session cookie, which the browser attaches whatever
 * page sends the request. A state-changing request that does not present `Authorization: Bearer`
 * (which no cross-site page can add without a CORS preflight the demo never grants) is refused
 * with 403 before anything runs when:
 * - its `Origin` (without one, its `Referer`) is not one of the demo's own pages; or
 * - it carries a body that is not JSON: a cross-site HTML form sends
 *   `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, and browsers
 *   that send no `Origin` on a form post are caught here.
 * Clients that send neither header (curl, scripts) and JSON or no body are not affected.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(
    private readonly own: OwnOrigins,
    private readonly sessions: SessionTokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = this.getRequest(context);
    if (!this.changesState(request) || this.authenticatesByBearer(request)) return true;
    this.checkBody(request);
    this.checkSource(request);
    return true;
  }

  protected getRequest(context: ExecutionContext): GuardedRequest {
    return context.switchToHttp().getRequest<GuardedRequest>();
  }

  protected changesState(request: GuardedRequest): boolean {
    return !SAFE_METHODS.has(request.method.toUpperCase());
  }

  /** A Bearer token makes the session ignore the cookie: nothing ambient is used. */
  protected authenticatesByBearer(request: GuardedRequest): boolean {
    return this.sessions.credentialOf(request)?.via === 'bearer';
  }

  protected checkBody(request: GuardedRequest): void {
    const contentType = header(request, 'content-type');
    if (contentType === undefined) return;
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw refused(
        'cross_site_body',
        'A change made without Authorization: Bearer must send JSON (content-type: application/json) or no ' +
          'body: form and plain-text bodies are what a cross-site page posts',
      );
    }
  }

  protected checkSource(request: GuardedRequest): void {
    const source = header(request, 'origin') ?? header(request, 'referer');
    if (source !== undefined && !this.own.isOwnOrigin(source, request.headers.host)) {
      throw refused(
        'cross_site_origin',
        "Cross-site request refused: a change made without Authorization: Bearer must come from this demo's " +
          'own pages (Origin, or else Referer)',
      );
    }
  }
}

function header(request: GuardedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function refused(reason: string, message: string): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', message, reason });
}
