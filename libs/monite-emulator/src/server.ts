import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkApiVersion } from './api-version.js';
import { bearerToken } from './authenticate.js';
import type { EmulatorCore } from './core.js';
import type { MoniteEmulatorFault } from './emulator.types.js';
import type { FaultQueue } from './faults.js';
import { bodyFieldNames, mediaType, readBody } from './http/body.js';
import { HttpError, moniteError } from './http/http-error.js';
import type { RateLimiter } from './rate-limiter.js';
import { rateLimitHeaders } from './rate-limiter.js';
import { redactHeaders, type RequestLog } from './request-log.js';
import type { HttpMethod, RouteMatch, Router } from './router.js';
import { basicCredentials } from './routes/oauth2.routes.js';

export interface EmulatorServerDeps {
  core: EmulatorCore;
  router: Router;
  faults: FaultQueue;
  requests: RequestLog;
  /** Returns the limiter in force (it can be swapped), or undefined when rate limiting is off. */
  rateLimiter: () => RateLimiter | undefined;
  log?: (line: string) => void;
}

/** What a `malformed` fault answers with a 200: a proxy's HTML page where JSON was expected. */
const MALFORMED_HTML =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream answered with something unexpected.</p></body></html>';

/**
 * The HTTP side: one pipeline for every request (record -> fault -> rate limit -> API version ->
 * route handler), Monite-shaped error answers, optional log lines, and a close that never hangs
 * (every socket is tracked and destroyed, hanging requests included).
 */
export class EmulatorServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly shutdown = new AbortController();
  private readonly knownSegments: Set<string>;
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: EmulatorServerDeps) {
    this.knownSegments = deps.router.staticSegments();
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // A client error (bad request line, reset mid-request) must not crash the emulator.
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops listening and destroys every open connection; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.shutdown.abort();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const match = this.deps.router.match(method, url.pathname);
    const logPath = this.describePath(url.pathname, match);
    if (this.deps.log) {
      const log = this.deps.log;
      res.once('close', () => {
        const status = res.writableFinished ? String(res.statusCode) : '- (no answer)';
        log(`${method} ${logPath} ${status} ${(performance.now() - started).toFixed(1)}ms`);
      });
    }

    let extraHeaders: Record<string, string> = {};
    try {
      const rawBody = await readBody(req);
      const type = mediaType(req);
      this.deps.requests.record({
        route: typeof match === 'object' ? match.key : undefined,
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        headers: redactHeaders(req.headers),
        bodyFields: bodyFieldNames({ rawBody, mediaType: type }),
      });
      if (match === undefined) throw moniteError(404, 'Not Found');
      if (match === 'method') throw moniteError(405, 'Method Not Allowed');

      const fault = this.deps.faults.take(match.key);
      if (fault && (await this.applyFault(fault, req, res))) return;

      const limiter = this.deps.rateLimiter();
      if (limiter) {
        const decision = limiter.hit(this.clientKey(req, rawBody, type));
        extraHeaders = rateLimitHeaders(decision);
        if (!decision.allowed) throw moniteError(429, 'API rate limit exceeded');
      }
      if (match.route.versioned) checkApiVersion(req.headers);

      const result = await match.route.handler({
        method: method as HttpMethod,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        params: match.params,
        rawBody,
        mediaType: type,
      });
      send(res, result.status, result.body, { ...extraHeaders, ...result.headers });
    } catch (error) {
      if (error instanceof HttpError) {
        send(res, error.status, error.body, { ...extraHeaders, ...error.headers });
      } else {
        // Only the error's name: a message could in theory carry request data.
        this.deps.log?.(`internal error (${(error as Error)?.name ?? 'unknown'}) on ${method} ${logPath}`);
        send(res, 500, { error: { message: 'Internal Server Error' } }, extraHeaders);
      }
    }
  }

  /** Applies a one-shot fault; true when the fault has answered (or will never answer). */
  private async applyFault(
    fault: MoniteEmulatorFault,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    if (fault.delayMs !== undefined && fault.delayMs > 0) {
      const slept = await sleep(fault.delayMs, true, { signal: this.shutdown.signal }).catch(() => false);
      if (!slept || res.destroyed) return true;
    }
    if (fault.reset) {
      // A TCP RST, so the client sees ECONNRESET rather than a clean close.
      req.socket.resetAndDestroy();
      return true;
    }
    if (fault.hang) return true; // never answered; close() destroys the socket
    if (fault.malformed) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(MALFORMED_HTML);
      return true;
    }
    if (fault.status === undefined && fault.body === undefined && fault.retryAfter === undefined)
      return false;
    const status = fault.status ?? (fault.body !== undefined ? 200 : 429);
    const headers: Record<string, string> =
      fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
    send(res, status, fault.body !== undefined ? fault.body : defaultErrorBody(status), headers);
    return true;
  }

  /**
   * Who the rate limit counts against: the client of the bearer token, else the client id
   * presented to a token endpoint (JSON body, form body or Basic), else the caller's address.
   */
  private clientKey(req: IncomingMessage, rawBody: Buffer, type: string | undefined): string {
    const bearer = bearerToken(req.headers);
    if (bearer !== undefined) {
      const found = this.deps.core.tokens.lookup(bearer);
      if (found.token) return `client:${found.token.clientId}`;
    }
    let clientId: unknown;
    try {
      if (type === 'application/x-www-form-urlencoded') {
        clientId =
          new URLSearchParams(rawBody.toString('utf8')).get('client_id') ??
          basicCredentials(req.headers.authorization)?.clientId;
      } else if (rawBody.length > 0) {
        clientId = (JSON.parse(rawBody.toString('utf8')) as { client_id?: unknown } | null)?.client_id;
      }
    } catch {
      clientId = undefined;
    }
    if (typeof clientId === 'string' && clientId.length > 0) return `client:${clientId.toLowerCase()}`;
    return `address:${req.socket.remoteAddress ?? 'unknown'}`;
  }

  /**
   * The path as it may appear in a log line: static segments and UUID parameters verbatim,
   * anything else replaced, so a secret pasted into a URL never reaches the log.
   */
  private describePath(path: string, match: RouteMatch | 'method' | undefined): string {
    if (typeof match === 'object') {
      return match.route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment;
          const value = match.params[segment.slice(1)] ?? '';
          return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
            ? value
            : segment;
        })
        .join('/');
    }
    return path
      .split('/')
      .map((segment) => (segment === '' || this.knownSegments.has(segment) ? segment : '*'))
      .join('/');
  }
}

/** Writes a JSON answer (no body for 204/304), unless the socket is already gone. */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined || status === 204 || status === 304 ? undefined : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(payload === undefined
      ? {}
      : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }),
  });
  res.end(payload);
}

/** Monite's error body for a status a fault asks for. */
function defaultErrorBody(status: number): unknown {
  if (status === 204 || status === 304) return undefined;
  if (status === 422)
    return { detail: [{ loc: ['body'], msg: 'Unprocessable Entity', type: 'value_error' }] };
  return { error: { message: STATUS_CODES[status] ?? `HTTP ${status}` } };
}
