/*
 * What the agreement test covers, derived rather than listed: every owned type of the library's
 * table (`MONITE_OBJECT_CREATORS`) x every action of the library's matrix for it that the emulator
 * serves a route for. Plus the request bodies, and a small client for the emulator's API.
 */
import { DEMO_CLIENT } from 'monite-emulator';
import {
  DEFAULT_MONITE_API_VERSION,
  MONITE_OBJECT_CREATORS,
  MONITE_PERMISSION_MATRIX,
  type MoniteOwnedObjectType,
} from 'nestjs-monite-auth';
import { SAMPLE_BODIES } from '../../../libs/monite-emulator/src/testing/sample-bodies.js';
import type { AgreementRoute, AgreementRoutes } from './agreement.app.js';

export const OWNED_TYPES = Object.keys(MONITE_OBJECT_CREATORS) as MoniteOwnedObjectType[];

/** The HTTP route of an action, Monite's way: CRUD on the collection or one object, others as `/{id}/{action}`. */
function routesOf(action: string): AgreementRoute[] {
  switch (action) {
    case 'read':
      return [
        { action, method: 'get', suffix: '', onObject: false },
        { action, method: 'get', suffix: ':id', onObject: true },
      ];
    case 'create':
      return [{ action, method: 'post', suffix: '', onObject: false }];
    case 'update':
      return [{ action, method: 'patch', suffix: ':id', onObject: true }];
    case 'delete':
      return [{ action, method: 'delete', suffix: ':id', onObject: true }];
    default:
      return [{ action, method: 'post', suffix: `:id/${action}`, onObject: true }];
  }
}

/** The emulator's route key for a guarded route, e.g. `PATCH /v1/receivables/:id`. */
export function emulatorRouteKey(type: MoniteOwnedObjectType, route: AgreementRoute): string {
  const path = `/v1${MONITE_OBJECT_CREATORS[type].path}${route.suffix ? `/${route.suffix}` : ''}`;
  return `${route.method.toUpperCase()} ${path}`;
}

/** Every (type, action) route of the library's matrix that the emulator serves. */
export function coveredRoutes(emulatorRoutes: readonly string[]): AgreementRoutes {
  const served = new Set(emulatorRoutes);
  return Object.fromEntries(
    OWNED_TYPES.map((type) => [
      type,
      (MONITE_PERMISSION_MATRIX[type] as readonly string[])
        .flatMap(routesOf)
        .filter((route) => served.has(emulatorRouteKey(type, route))),
    ]),
  ) as AgreementRoutes;
}

const rank = (r: AgreementRoute) => (r.action === 'read' ? 0 : r.action === 'delete' ? 2 : 1);

/** Object routes in an order where no action hides another's decision: delete last. */
export function objectRoutesInOrder(routes: AgreementRoute[]): AgreementRoute[] {
  return routes.filter((r) => r.onObject).toSorted((a, b) => rank(a) - rank(b));
}

/** A valid create body, update body and list query for each owned type. */
export function bodiesOf(type: MoniteOwnedObjectType): {
  create: unknown;
  update: unknown;
  listQuery: string;
} {
  if (type === 'payable') return { create: { amount: 100, currency: 'EUR' }, update: {}, listQuery: '' };
  const sample = SAMPLE_BODIES[type];
  if (!sample) throw new Error(`no sample bodies for ${type}`);
  const { object_type, object_id } = sample.create as { object_type?: string; object_id?: string };
  // Comments are listed per object: the one every created comment is about.
  const listQuery = type === 'comment' ? `object_type=${object_type}&object_id=${object_id}` : '';
  return { create: sample.create, update: sample.update ?? {}, listQuery };
}

export interface ApiAnswer {
  status: number;
  body: {
    error?: { message?: string };
    data?: { id: string }[];
    next_pagination_token?: string | null;
  } & Record<string, unknown>;
}

/** Calls the emulator's API as Monite's clients do, in one entity. */
export class MoniteApi {
  constructor(
    private readonly baseUrl: string,
    private readonly entityId: string,
  ) {}

  async call(method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-monite-version': DEFAULT_MONITE_API_VERSION,
        'x-monite-entity-id': this.entityId,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  async ok<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.call(method, path, token, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
    return response.body as T;
  }

  /** Every id a list shows the caller, following the pagination tokens; or the refusal. */
  async listIds(path: string, query: string, token: string): Promise<ApiAnswer & { ids: string[] }> {
    const ids: string[] = [];
    let next = `${path}?${query}`;
    for (;;) {
      const page = await this.call('GET', next, token);
      if (page.status !== 200) return { ...page, ids };
      ids.push(...(page.body.data ?? []).map((o) => o.id));
      if (!page.body.next_pagination_token) return { ...page, ids };
      next = `${path}?pagination_token=${page.body.next_pagination_token}`;
    }
  }

  async token(entityUserId?: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-monite-version': DEFAULT_MONITE_API_VERSION },
      body: JSON.stringify({
        grant_type: entityUserId ? 'entity_user' : 'client_credentials',
        client_id: DEMO_CLIENT.clientId,
        client_secret: DEMO_CLIENT.clientSecret,
        ...(entityUserId ? { entity_user_id: entityUserId } : {}),
      }),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }
}
