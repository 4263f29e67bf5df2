import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { OwnOrigins } from './own-origins.js';
import { refuse } from './refusal.js';

/**
 * Refuses every request whose `Host` is not one of the demo's own names, before routing. A page
 * on an attacker's domain that re-resolves to this machine (DNS rebinding) is same-origin with
 * itself, so the browser lets it call the demo and read the answers; only its `Host` gives it
 * away. `createDemoApp` mounts it first, ahead of every route and the OpenAPI docs.
 */
@Injectable()
export class TrustedHostMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly own: OwnOrigins) {}

  use(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
    if (this.own.isOwnHost(request.headers.host)) {
      next();
      return;
    }
    // The Host it sent is not echoed.
    refuse(
      response,
      'host_not_allowed',
      'Unknown Host: this demo answers only to its own host names (loopback, HOST, DEMO_PUBLIC_ORIGIN, DEMO_ALLOWED_HOSTS)',
    );
  }
}
