/*
 * 53: property tests of the guard against a small reference model of the decision table, written
 * here from docs/permissions.md and sharing no code with the library. Random roles (unknown values,
 * duplicates, odd casing, __proto__ keys, statuses), random `resolveEntityUser` results (non-objects,
 * empty strings, other entities, mixed case, the partner), random `x-monite-entity-id` headers
 * (lists, repeats, casing) and random owners go through the real guard, role parser and compiler;
 * the guard must answer exactly what the model says, so it never allows what the model denies.
 * Each case runs in a random transport (HTTP, GraphQL, WebSocket, RPC), the request where that
 * transport keeps it: the model has no notion of transports, so the decision must be the same in all.
 */
import { jest } from '@jest/globals';
import { HttpException, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector, type ModuleRef } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import fc from 'fast-check';
import { MoniteNotFoundError, MoniteUnavailableError } from '../errors/index.js';
import type { ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { moniteAsPartner } from '../monite-identity.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { compileRole, type CompiledRole } from './compiled-role.js';
import { MonitePermission, MonitePublic } from './monite-permission.decorator.js';
import { MonitePermissionGuard } from './monite-permission.guard.js';
import { MoniteGraphqlError, transportErrorsReady } from './monite-transport-errors.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import type { MoniteRoleCache } from './role-cache.js';
import type { MoniteRoleLoader } from './role-loader.js';
import { parseMoniteRole } from './role-parser.js';

const ENTITY = 'e0000000-0000-4000-8000-0000000000aa';
const OTHER_ENTITY = 'e0000000-0000-4000-8000-0000000000bb';
const USER_A = 'a0000000-0000-4000-8000-0000000000cc';
const USER_B = 'b0000000-0000-4000-8000-0000000000dd';

interface FakeRequest {
  headers: Record<string, unknown>;
  owner: () => unknown;
}
type Transport = 'http' | 'graphql' | 'ws' | 'rpc';
/** A handler's arguments in each transport, the request (its headers) where that transport keeps it. */
const ARGUMENTS: Record<Transport, (request: FakeRequest) => unknown[]> = {
  http: (request) => [request, {}, () => undefined],
  graphql: (request) => [{}, {}, { req: request }, {}],
  ws: (request) => [{ handshake: request }, {}, 'payables'],
  rpc: (request) => [request, {}],
};
/** The fake request of a call, in any transport's layout. */
function requestOf(context: ExecutionContext): FakeRequest {
  const [first, , third] =
    context.getArgs<[{ handshake?: FakeRequest } & FakeRequest, unknown, { req?: FakeRequest }]>();
  return third?.req ?? first.handshake ?? first;
}
const ownerOf = (context: ExecutionContext) => requestOf(context).owner() as string;

class Routes {
  @MonitePermission('payable', 'read')
  read() {}
  @MonitePermission('payable', 'approve', { owner: ownerOf })
  approve() {}
  @MonitePermission('payable', 'update')
  update() {}
  @MonitePermission('payable', 'delete', { owner: ownerOf })
  remove() {}
  @MonitePermission('hologram' as never, 'read' as never)
  hologram() {}
  @MonitePublic()
  health() {}
  unguarded() {}
}

// --- the reference model ----------------------------------------------------------------------------
type Route = 'read' | 'approve' | 'update' | 'remove' | 'hologram' | 'health' | 'unguarded';
const ROUTES: Record<Route, { public?: true; action?: string; matrix?: boolean; owner?: true }> = {
  read: { action: 'read', matrix: true },
  approve: { action: 'approve', matrix: true, owner: true },
  update: { action: 'update', matrix: true },
  remove: { action: 'delete', matrix: true, owner: true },
  hologram: { action: 'read', matrix: false },
  health: { public: true },
  unguarded: {},
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Answer = { status: number; reason?: string };
type Caller =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'partner'; entity: string }
  | { kind: 'user'; id: string; entity: string };
type RoleSource = { raw: unknown } | { failure: 'down' | 'unknown' };
type OwnerAnswer = { value: unknown } | { throws: 'http' | 'error' };

function modelCaller(given: unknown): Caller {
  if (typeof given !== 'object' || given === null) return { kind: 'none' };
  const { entityId, entityUserId, partner } = given as Record<string, unknown>;
  if (entityId === undefined) return { kind: 'none' };
  if (typeof entityId !== 'string' || !UUID.test(entityId)) return { kind: 'invalid' };
  const entity = entityId.toLowerCase();
  if (partner === true || entityUserId === '') return { kind: 'partner', entity };
  if (entityUserId === undefined) return { kind: 'none' };
  if (typeof entityUserId !== 'string' || !UUID.test(entityUserId)) return { kind: 'invalid' };
  return { kind: 'user', id: entityUserId.toLowerCase(), entity };
}

function modelHeaderKeepsEntity(header: unknown, entity: string): boolean {
  if (header === undefined) return true;
  const values = Array.isArray(header) ? header : [header];
  if (values.length === 0) return false;
  return values.every(
    (value) =>
      typeof value === 'string' && value.split(',').every((part) => part.trim().toLowerCase() === entity),
  );
}

const own = (o: object, k: string) =>
  Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const STRENGTH: Record<string, number> = { not_allowed: 0, allowed_for_own: 1, allowed: 2 };
/** A raw role's permission for payable.`action`; `malformed` when it is no role at all. */
function modelPermission(raw: unknown, action: string): string {
  if (!isObject(raw)) return 'malformed';
  const permissions = own(raw, 'permissions');
  if (!isObject(permissions)) return 'malformed';
  const objects = own(permissions, 'objects');
  if (objects !== undefined && objects !== null && !Array.isArray(objects)) return 'malformed';
  const status = own(raw, 'status');
  if (status !== undefined && status !== 'active') return 'inactive';
  let best = 'unset';
  const take = (value: string) => {
    if (best === 'unset' || STRENGTH[value] < STRENGTH[best]) best = value;
  };
  for (const entry of (objects ?? []) as unknown[]) {
    if (!isObject(entry) || own(entry, 'object_type') !== 'payable') continue;
    const actions = own(entry, 'actions');
    if (actions === undefined || actions === null) continue;
    if (!Array.isArray(actions)) take('not_allowed');
    else
      for (const item of actions as unknown[]) {
        if (!isObject(item) || own(item, 'action_name') !== action) continue;
        const value = own(item, 'permission');
        take(typeof value === 'string' && value in STRENGTH ? value : 'not_allowed');
      }
  }
  return best === 'unset' ? 'not_allowed' : best;
}

function model(route: Route, given: unknown, header: unknown, role: RoleSource, owner: OwnerAnswer): Answer {
  const spec = ROUTES[route];
  if (spec.public) return { status: 200 };
  if (spec.action === undefined) return { status: 403, reason: 'no_permission_metadata' };
  const caller = modelCaller(given);
  if (caller.kind === 'none') return { status: 401, reason: 'no_user' };
  if (caller.kind === 'invalid') return { status: 401, reason: 'unknown_entity_user' };
  if (!modelHeaderKeepsEntity(header, caller.entity)) return { status: 403, reason: 'entity_mismatch' };
  if ('failure' in role) {
    return role.failure === 'unknown' && caller.kind === 'user'
      ? { status: 401, reason: 'unknown_entity_user' }
      : { status: 503, reason: 'role_unavailable' };
  }
  const permission = modelPermission(role.raw, spec.action);
  if (permission === 'malformed') return { status: 503, reason: 'role_unavailable' };
  if (permission === 'inactive') return { status: 403, reason: 'role_inactive' };
  if (!spec.matrix || permission === 'not_allowed') return { status: 403, reason: 'not_allowed' };
  if (permission === 'allowed') return { status: 200 };
  if (caller.kind === 'partner') return { status: 403, reason: 'no_entity_user' };
  if (!spec.owner) return { status: 200 };
  if ('throws' in owner)
    return owner.throws === 'http' ? { status: 400 } : { status: 503, reason: 'owner_unavailable' };
  const ownerId = owner.value;
  const mine = typeof ownerId === 'string' && UUID.test(ownerId) && ownerId.toLowerCase() === caller.id;
  return mine ? { status: 200 } : { status: 403, reason: 'not_owner' };
}

// --- the inputs ------------------------------------------------------------------------------------
const spelled = (id: string) =>
  fc.constantFrom(id, id.toUpperCase(), id.slice(0, 9) + id.slice(9).toUpperCase());
const entityIdArb = fc.oneof(
  { weight: 12, arbitrary: spelled(ENTITY) },
  { weight: 2, arbitrary: spelled(OTHER_ENTITY) },
  fc.constantFrom('', 'acme', ` ${ENTITY}`, 7, null),
);
const userIdArb = fc.oneof(
  { weight: 10, arbitrary: spelled(USER_A) },
  { weight: 2, arbitrary: spelled(USER_B) },
  fc.constantFrom('', 'alice', `${USER_A} `, 42, null),
);
const givenArb = fc.oneof(
  { weight: 14, arbitrary: fc.record({ entityUserId: userIdArb, entityId: entityIdArb }) },
  fc.record({ entityUserId: userIdArb, entityId: entityIdArb }, { requiredKeys: [] }),
  { weight: 2, arbitrary: spelled(ENTITY).map((entity) => moniteAsPartner(entity) as unknown) },
  fc.record({ partner: fc.constantFrom(true, 'yes', 1), entityId: entityIdArb }),
  fc.constantFrom(undefined, null, 42, 'a0000000-0000-4000-8000-0000000000cc', true, []),
);
const headerValueArb = fc.oneof(
  spelled(ENTITY),
  spelled(OTHER_ENTITY),
  fc.constantFrom('', ' ', 'acme', ` ${ENTITY} `),
);
const headerArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: spelled(ENTITY) },
  { weight: 2, arbitrary: headerValueArb },
  fc.tuple(headerValueArb, headerValueArb).map(([a, b]) => `${a}, ${b}`),
  fc.array(headerValueArb, { maxLength: 3 }),
);
const oddName = fc.constantFrom('', 'READ', 'Approve', '__proto__', 'constructor');
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('allowed', 'allowed_for_own', 'allowed_for_own', 'not_allowed') },
  fc.constantFrom('allowed_for_team', 'ALLOWED', undefined, null, 1),
);
const actionEntryArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      action_name: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom('read', 'approve', 'update', 'delete') },
        oddName,
      ),
      permission: valueArb,
    }),
  },
  fc.constantFrom(null, 'read', { action_name: 'read' }),
  fc
    .constantFrom('read', 'approve')
    .map((name) => Object.assign(Object.create({ permission: 'allowed' }) as object, { action_name: name })),
);
const rawRoleArb = fc.record(
  {
    status: fc.oneof(
      { weight: 8, arbitrary: fc.constant('active') },
      fc.constantFrom('deleted', 'Active', null),
    ),
    permissions: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record({
          objects: fc.array(
            fc.oneof(
              {
                weight: 8,
                arbitrary: fc.record({
                  object_type: fc.oneof(
                    { weight: 6, arbitrary: fc.constant('payable') },
                    fc.constantFrom('tag', 'PAYABLE', '__proto__'),
                  ),
                  actions: fc.oneof(
                    { weight: 8, arbitrary: fc.array(actionEntryArb, { maxLength: 6 }) },
                    fc.constantFrom(null, 'all'),
                  ),
                }),
              },
              fc.constantFrom(null, 'payable'),
            ),
            { maxLength: 4 },
          ),
        }),
      },
      fc.constantFrom(null, { objects: 'all' }),
    ),
  },
  { requiredKeys: ['permissions'] },
);
/** Mostly roles that reach the owner check: the routes' actions, allowed for own. */
const ownRoleArb = fc
  .array(fc.constantFrom('read', 'approve', 'update', 'delete'), { minLength: 1, maxLength: 4 })
  .map((actions) => ({
    permissions: {
      objects: [
        {
          object_type: 'payable',
          actions: actions.map((action_name) => ({ action_name, permission: 'allowed_for_own' })),
        },
      ],
    },
  }));
const roleSourceArb: fc.Arbitrary<RoleSource> = fc.oneof(
  { weight: 12, arbitrary: rawRoleArb.map((raw) => ({ raw })) },
  { weight: 8, arbitrary: ownRoleArb.map((raw) => ({ raw })) },
  fc.constantFrom<RoleSource>({ failure: 'down' }, { failure: 'unknown' }),
);
const ownerArb: fc.Arbitrary<OwnerAnswer> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .oneof(spelled(USER_A), spelled(USER_B), fc.constantFrom(null, undefined, '', 'alice', 42))
      .map((value) => ({ value })),
  },
  fc.constantFrom<OwnerAnswer>({ throws: 'http' }, { throws: 'error' }),
);
const caseArb = fc.record({
  route: fc.constantFrom<Route>(
    'read',
    'approve',
    'approve',
    'update',
    'remove',
    'remove',
    'hologram',
    'health',
    'unguarded',
  ),
  given: givenArb,
  header: headerArb,
  role: roleSourceArb,
  owner: ownerArb,
  resolverAsync: fc.boolean(),
  ownerAsync: fc.boolean(),
  cached: fc.boolean(),
  transport: fc.constantFrom<Transport>('http', 'graphql', 'ws', 'rpc'),
});

// --- the guard under test --------------------------------------------------------------------------
/** A role cache serving one role (compiled from the raw role by the library) to every caller. */
class OneRoleCache {
  constructor(
    readonly role: CompiledRole | Error,
    readonly cached: boolean,
  ) {}
  peek(): CompiledRole | undefined {
    return this.cached && !(this.role instanceof Error) ? this.role : undefined;
  }
  getOrLoad(): Promise<CompiledRole> {
    return this.role instanceof Error ? Promise.reject(this.role) : Promise.resolve(this.role);
  }
}

function compiled(role: RoleSource): CompiledRole | Error {
  if ('failure' in role) {
    return role.failure === 'down'
      ? new MoniteUnavailableError('down')
      : new MoniteNotFoundError('not found');
  }
  try {
    return compileRole(parseMoniteRole(role.raw));
  } catch (error) {
    return error as Error;
  }
}

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

async function decide(input: Case) {
  const { route, given, header, role, owner, resolverAsync, ownerAsync, cached, transport } = input;
  const guard = new MonitePermissionGuard(
    new Reflector(),
    new OneRoleCache(compiled(role), cached) as unknown as MoniteRoleCache,
    {} as MoniteRoleLoader,
    new MoniteOwnerResolverRegistry({} as ModuleRef),
    {
      requestTimeoutMs: 100,
      resolveEntityUser: () => (resolverAsync ? Promise.resolve(given) : given),
      hooks: {},
    } as unknown as ResolvedMoniteAuthOptions,
    new VirtualMoniteClock(),
  );
  const answerOwner = () => {
    if ('throws' in owner)
      throw owner.throws === 'http' ? new HttpException('bad id', 400) : new Error('db down');
    return owner.value;
  };
  const request: FakeRequest = {
    headers: header === undefined ? {} : { 'x-monite-entity-id': header },
    owner: () => (ownerAsync ? Promise.resolve().then(answerOwner) : answerOwner()),
  };
  const context = new ExecutionContextHost(ARGUMENTS[transport](request), Routes, Routes.prototype[route]);
  context.setType(transport);
  let result: boolean | Promise<boolean>;
  try {
    result = guard.canActivate(context);
  } catch (error) {
    return { sync: true, answer: answerOf(error) };
  }
  const sync = typeof result === 'boolean';
  try {
    return { sync, answer: (await result) === true ? { status: 200 } : { status: 0 } };
  } catch (error) {
    return { sync, answer: answerOf(error) };
  }
}

/** The status and reason of a denial, in any transport's error type. */
function answerOf(error: unknown): Answer {
  let body: { statusCode?: number; reason?: string };
  if (error instanceof HttpException)
    body = { statusCode: error.getStatus(), ...(error.getResponse() as object) };
  else if (error instanceof MoniteGraphqlError) body = error.extensions;
  else if (error instanceof WsException || error instanceof RpcException) body = error.getError() as object;
  else throw error;
  const { statusCode: status, reason } = body;
  return reason === undefined ? { status: status! } : { status: status!, reason };
}

describe('53: the guard against a reference model of the decision table', () => {
  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // Loaded on a transport's first call; the synchronous property holds from then on.
    await transportErrorsReady('ws');
    await transportErrorsReady('rpc');
  });
  afterAll(() => jest.restoreAllMocks());

  it('53: random roles, callers, headers, owners and transports: the guard answers what the model says (never more)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (input) => {
        const expected = model(input.route, input.given, input.header, input.role, input.owner);
        const { answer } = await decide(input);
        if (answer.status === 200) expect(expected.status).toBe(200);
        expect(answer).toEqual(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('53: with everything at hand (sync resolvers that answer, role cached) the answer never needs a Promise', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (input) => {
        const ownerWaits =
          ROUTES[input.route].owner === true && (input.ownerAsync || 'throws' in input.owner);
        fc.pre(!input.resolverAsync && input.cached && !('failure' in input.role) && !ownerWaits);
        fc.pre(modelPermission((input.role as { raw: unknown }).raw, 'read') !== 'malformed');
        expect((await decide(input)).sync).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
