import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import { OwnOrigins } from './own-origins.js';

/** What a refused request is told (the Host it sent is not echoed). */
const REFUSAL = JSON.stringify({
  statusCode: HttpStatus.FORBIDDEN,
  error: 'Forbidden',
  message:
    'Unknown Host: this demo answers only to its own host names (loopback, HOST, DEMO_PUBLIC_ORIGIN, DEMO_ALLOWED_HOSTS)',
  reason: 'host_not_allowed',
});

/**
 * Refuses every request whose `Host` is not one of the demo's own names, before routing. A page
 * on an attacker's domain that re-resolves to this machine (DNS rebinding) is same-origin with
 * itself, so the browser lets it call the demo and read the answers; only its `Host` gives it away.
 *
 * It answers the request itself instead of throwing, so it also works where Nest's exception
 * filters do not reach: `createDemoApp` mounts it with `app.use()` ahead of every route, the
 * OpenAPI docs included, on Express and Fastify alike.
 */
@Injectable()
export class TrustedHostMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly own: OwnOrigins) {}

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    if (this.own.isOwnHost(request.headers.host)) {
      next();
      return;
    }
    response.statusCode = HttpStatus.FORBIDDEN;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(REFUSAL);
  }
}
