import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { SessionTokenService } from '../auth/session-token.service.js';
import { OwnOrigins } from './own-origins.js';
import { refuse } from './refusal.js';

/** Methods that change nothing, so a cross-site page gains nothing by sending them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `application/json` and `application/<something>+json`: what no cross-site form can send. */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json$/;

/**
 * Cross-site request forgery defence for the session cookie, which the browser attaches whatever
 * page sends the request. A state-changing request that does not present `Authorization: Bearer`
 * (no cross-site page can add it without a CORS preflight, which the demo never grants) is
 * refused with 403 when:
 * - it carries a body that is not JSON: a cross-site HTML form sends
 *   `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain` (this also catches
 *   browsers that send no `Origin` with a form post); or
 * - its `Origin` (without one, its `Referer`) is not a page of the demo's own.
 * Clients that send neither header (curl, scripts) with JSON or no body are not affected.
 *
 * It runs before the body is parsed (Fastify would answer a multipart body 415 on its own) and
 * before any guard, so a refused request reaches neither a handler nor Monite.
 */
@Injectable()
export class SameOriginMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(
    private readonly own: OwnOrigins,
    private readonly sessions: SessionTokenService,
  ) {}

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    if (!this.changesState(request) || this.authenticatesByBearer(request)) {
      next();
    } else if (!this.hasSafeBody(request)) {
      refuse(
        response,
        'cross_site_body',
        'A change made without Authorization: Bearer must send JSON (content-type: application/json) or no ' +
          'body: form and plain-text bodies are what a cross-site page posts',
      );
    } else if (!this.comesFromOwnPage(request)) {
      refuse(
        response,
        'cross_site_origin',
        "Cross-site request refused: a change made without Authorization: Bearer must come from this demo's " +
          'own pages (Origin, or else Referer)',
      );
    } else {
      next();
    }
  }

  protected changesState(request: IncomingMessage): boolean {
    return !SAFE_METHODS.has((request.method ?? '').toUpperCase());
  }

  /** A Bearer token makes the session ignore the cookie: nothing ambient is used. */
  protected authenticatesByBearer(request: IncomingMessage): boolean {
    return this.sessions.credentialOf(request)?.via === 'bearer';
  }

  protected hasSafeBody(request: IncomingMessage): boolean {
    const contentType = request.headers['content-type'];
    if (contentType === undefined) return true;
    return JSON_MEDIA_TYPE.test(contentType.split(';')[0].trim().toLowerCase());
  }

  /** No `Origin` and no `Referer` (not a browser, or a same-origin page hiding it) passes. */
  protected comesFromOwnPage(request: IncomingMessage): boolean {
    const source = request.headers.origin ?? request.headers.referer;
    return source === undefined || this.own.isOwnOrigin(source, request.headers.host);
  }
}
