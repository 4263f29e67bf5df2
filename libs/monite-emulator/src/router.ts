import type { IncomingHttpHeaders } from 'node:http';
import type { RouteAccess } from './route-access.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a handler returns: a status, a JSON body (omitted for 204) and extra headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The parts of a request a handler sees. */
export interface RouteRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Path parameters by name, e.g. `{ id: '...' }` for `/v1/payables/:id`. */
  readonly params: Readonly<Record<string, string>>;
  /** The body as received; parse it with the helpers in `http/body.ts`. */
  readonly rawBody: Buffer;
  /** The content type without parameters, lower-cased. */
  readonly mediaType: string | undefined;
}

export type RouteHandler = (request: RouteRequest) => RouteResult | Promise<RouteResult>;

export interface RouteDefinition {
  method: HttpMethod;
  /** Path with `:name` parameters, e.g. `/v1/payables/:id`. The route key is `${method} ${pattern}`. */
  pattern: string;
  /** Requires `x-monite-version` (every `/v1` route does; the OAuth2 profile does not). */
  versioned: boolean;
  /** What the route demands of its caller (the README's route table is generated from it). */
  access: RouteAccess;
  handler: RouteHandler;
}

export interface RouteMatch {
  route: RouteDefinition;
  key: string;
  params: Record<string, string>;
}

/** The key counters and faults use for a route: `'GET /v1/payables/:id'`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'pattern'>): string {
  return `${route.method} ${route.pattern}`;
}

interface CompiledRoute {
  route: RouteDefinition;
  key: string;
  segments: string[];
}

/** Matches method + path against route patterns; static segments win over parameters. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: RouteDefinition[]) {
    for (const route of routes) {
      const key = routeKey(route);
      if (this.routes.some((r) => r.key === key)) throw new Error(`Duplicate route ${key}`);
      this.routes.push({ route, key, segments: split(route.pattern) });
    }
    // Static routes first, so `/v1/entity_users/me` is never taken for `/v1/entity_users/:id`.
    this.routes.sort((a, b) => paramCount(a) - paramCount(b));
  }

  /** Every route key, in declaration order of the patterns. */
  keys(): string[] {
    return this.routes.map((r) => r.key).sort();
  }

  /** Static path segments used by any route (the request log shows only these verbatim). */
  staticSegments(): Set<string> {
    return new Set(this.routes.flatMap((r) => r.segments.filter((s) => !s.startsWith(':'))));
  }

  /**
   * The route for a request, `undefined` when no pattern matches the path, or `'method'`
   * when the path exists for other methods only (405).
   */
  match(method: string, path: string): RouteMatch | 'method' | undefined {
    const segments = split(path);
    let pathKnown = false;
    for (const compiled of this.routes) {
      const params = matchSegments(compiled.segments, segments);
      if (!params) continue;
      if (compiled.route.method !== method) {
        pathKnown = true;
        continue;
      }
      return { route: compiled.route, key: compiled.key, params };
    }
    return pathKnown ? 'method' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function paramCount(route: CompiledRoute): number {
  return route.segments.filter((s) => s.startsWith(':')).length;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const value = actual[i]!;
    if (expected.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return undefined;
      }
      params[expected.slice(1)] = decoded;
    } else if (expected !== value) {
      return undefined;
    }
  }
  return params;
}
