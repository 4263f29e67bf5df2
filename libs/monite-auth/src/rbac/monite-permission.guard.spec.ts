/*
 * The guard's whole decision table in milliseconds: fake execution contexts, a stub role cache,
 * synchronous and asynchronous resolvers. The wire (Express, Fastify, Monite) is in test/guard.
 */
import { jest } from '@jest/globals';
import { ForbiddenException, HttpException, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector, type ModuleRef } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { MoniteNotFoundError, MoniteUnavailableError } from '../errors/index.js';
import type { MoniteAccessDecisionEvent } from '../monite-auth.hooks.js';
import type { ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { isMonitePartner, moniteAsPartner, type MoniteCaller } from '../monite-identity.js';
import type { MoniteRole } from '../monite-role.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { compileRole, CompiledRole } from './compiled-role.js';
import { getMoniteAccess } from './monite-access.decorator.js';
import { MonitePermission, MonitePublic } from './monite-permission.decorator.js';
import { MonitePermissionGuard } from './monite-permission.guard.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import type { MoniteRoleCache } from './role-cache.js';
import type { MoniteRoleLoader } from './role-loader.js';

const ENTITY = 'e0000000-0000-4000-8000-0000000000aa';
const OTHER_ENTITY = 'e0000000-0000-4000-8000-0000000000bb';
const ME = 'a0000000-0000-4000-8000-0000000000cc';
const SOMEONE = 'a0000000-0000-4000-8000-0000000000dd';

/** What a fake request carries: who is calling, its headers, and what the route's owner resolver answers. */
interface FakeRequest {
  caller?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  owner?: () => unknown;
}

class PayablesController {
  @MonitePermission('payable', 'read')
  list() {}

  @MonitePermission('payable', 'approve', {
    owner: (context: ExecutionContext) => context.getArgByIndex<FakeRequest>(0).owner?.() as string,
  })
  approve() {}

  @MonitePermission('payable', 'update')
  update() {}

  @MonitePublic()
  health() {}

  unguarded() {}
}
type Route = Exclude<keyof PayablesController, 'constructor'>;

const roleOf = (permissions: Record<string, string>, status?: string) =>
  compileRole({
    status,
    permissions: {
      objects: [
        {
          object_type: 'payable',
          actions: Object.entries(permissions).map(([action_name, permission]) => ({
            action_name,
            permission,
          })),
        },
      ],
    },
  } as MoniteRole);
const ROLE = roleOf({ read: 'allowed', approve: 'allowed_for_own', update: 'allowed_for_own' });

/** The role cache as the guard sees it: roles (or failures) per key; `cached` says whether peek finds them. */
class StubRoleCache {
  readonly entries = new Map<string, CompiledRole | Error>();
  cached = true;
  loads: MoniteCaller[] = [];
  peek(caller: MoniteCaller): CompiledRole | undefined {
    const entry = this.entries.get(key(caller));
    return this.cached && entry instanceof CompiledRole ? entry : undefined;
  }
  getOrLoad(caller: MoniteCaller): Promise<CompiledRole> {
    this.loads.push(caller);
    const entry = this.entries.get(key(caller)) ?? roleOf({});
    return entry instanceof Error ? Promise.reject(entry) : Promise.resolve(entry);
  }
}
const key = (caller: MoniteCaller) =>
  isMonitePartner(caller) ? `partner:${caller.entityId}` : caller.entityUserId;

type Outcome = { sync: boolean; allowed?: boolean; error?: HttpException };

function contextFor(route: Route, request: FakeRequest, type = 'http'): ExecutionContextHost {
  const host = new ExecutionContextHost(
    [{ headers: {}, ...request }, {}, () => undefined],
    PayablesController,
    PayablesController.prototype[route],
  );
  host.setType(type);
  return host;
}

const denial = (outcome: Outcome) => ({
  status: outcome.error?.getStatus(),
  reason: (outcome.error?.getResponse() as { reason?: string } | undefined)?.reason,
});

describe('MonitePermissionGuard', () => {
  let cache: StubRoleCache;
  let events: MoniteAccessDecisionEvent[];
  let clock: VirtualMoniteClock;
  let guard: MonitePermissionGuard;
  let warn: jest.SpiedFunction<Logger['warn']>;

  const build = (over: Partial<ResolvedMoniteAuthOptions> = {}) => {
    const options = {
      requestTimeoutMs: 250,
      resolveEntityUser: (context: ExecutionContext) => {
        const { caller } = context.getArgByIndex<FakeRequest>(0);
        return typeof caller === 'function' ? (caller as () => unknown)() : caller;
      },
      hooks: { onAccessDecision: (event: MoniteAccessDecisionEvent) => void events.push(event) },
      ...over,
    } as ResolvedMoniteAuthOptions;
    const registry = new MoniteOwnerResolverRegistry({} as ModuleRef);
    return new MonitePermissionGuard(
      new Reflector(),
      cache as unknown as MoniteRoleCache,
      {} as MoniteRoleLoader,
      registry,
      options,
      clock,
    );
  };

  beforeEach(() => {
    cache = new StubRoleCache();
    cache.entries.set(ME, ROLE);
    cache.entries.set(`partner:${ENTITY}`, ROLE);
    events = [];
    clock = new VirtualMoniteClock();
    guard = build();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  async function run(route: Route, request: FakeRequest, type = 'http', on = guard): Promise<Outcome> {
    let result: boolean | Promise<boolean>;
    try {
      result = on.canActivate(contextFor(route, request, type));
    } catch (error) {
      return { sync: true, error: error as HttpException };
    }
    if (typeof result === 'boolean') return { sync: true, allowed: result };
    try {
      return { sync: false, allowed: await result };
    } catch (error) {
      return { sync: false, error: error as HttpException };
    }
  }

  const me = { entityUserId: ME, entityId: ENTITY };

  it('32: a public route passes at once, without asking who calls', async () => {
    expect(
      await run('health', {
        caller: () => {
          throw new Error('not asked');
        },
      }),
    ).toEqual({ sync: true, allowed: true });
  });

  it('32: no @MonitePermission and not public: 403, with or without a caller', async () => {
    for (const caller of [me, undefined]) {
      expect(denial(await run('unguarded', { caller }))).toEqual({
        status: 403,
        reason: 'no_permission_metadata',
      });
    }
  });

  it.each(['kafka', 'stream', 'GRAPHQL'])(
    '41: an unknown context type (%j) is denied (403) before anything is asked, never let through',
    async (type) => {
      const resolver = jest.fn(() => me);
      expect(denial(await run('list', { caller: me }, type, build({ resolveEntityUser: resolver })))).toEqual(
        {
          status: 403,
          reason: 'unsupported_context',
        },
      );
      expect(resolver).not.toHaveBeenCalled();
      expect(cache.loads).toEqual([]);
    },
  );

  it('38: nobody calling: 401 no_user, whatever resolveEntityUser gives that is not a caller', async () => {
    for (const caller of [undefined, null, 'me', 42, {}, { entityUserId: ME }]) {
      expect(denial(await run('list', { caller }))).toEqual({ status: 401, reason: 'no_user' });
    }
    expect(
      denial(await run('list', { caller: me }, 'http', build({ resolveEntityUser: undefined }))),
    ).toEqual({
      status: 401,
      reason: 'no_user',
    });
    expect(cache.loads).toEqual([]);
  });

  it('finding "an unknown caller is an outage": an id that is not a UUID is a 401 unknown_entity_user, with no role load', async () => {
    for (const caller of [
      { entityUserId: 'alice', entityId: ENTITY },
      { entityUserId: ME, entityId: 'acme' },
    ]) {
      expect(denial(await run('list', { caller }))).toEqual({ status: 401, reason: 'unknown_entity_user' });
    }
    expect(cache.loads).toEqual([]);
  });

  it('finding "an unknown caller is an outage": Monite not knowing the caller is a 401, not a 503', async () => {
    cache.entries.set(ME, new MoniteNotFoundError('Entity user not found', { status: 404 }));
    expect(denial(await run('list', { caller: me }))).toEqual({ status: 401, reason: 'unknown_entity_user' });
    expect(events.at(-1)).toMatchObject({ allowed: false, reason: 'unknown_entity_user', entityUserId: ME });
  });

  it('a resolveEntityUser that throws or rejects is a logged 401; its own HttpException stands', async () => {
    const failing = [
      () => {
        throw new Error('session store down');
      },
      () => Promise.reject(new Error('down')),
    ];
    for (const caller of failing) {
      const outcome = await run('list', { caller });
      expect(denial(outcome)).toEqual({ status: 401, reason: 'no_user' });
      expect(JSON.stringify(outcome.error?.getResponse())).not.toContain('down');
    }
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('resolveEntityUser failed on PayablesController.list'),
    );
    const own = new ForbiddenException('banned');
    expect(
      (
        await run('list', {
          caller: () => {
            throw own;
          },
        })
      ).error,
    ).toBe(own);
  });

  it('39: x-monite-entity-id naming another entity (any form of it) is a 403 before the role is loaded', async () => {
    cache.cached = false;
    for (const header of [OTHER_ENTITY, `${ENTITY}, ${OTHER_ENTITY}`, [ENTITY, OTHER_ENTITY], '', []]) {
      const outcome = await run('list', { caller: me, headers: { 'x-monite-entity-id': header as string } });
      expect(denial(outcome)).toEqual({ status: 403, reason: 'entity_mismatch' });
    }
    expect(cache.loads).toEqual([]);
  });

  it('44: one identity, one spelling: an upper-case caller and header are the lower-case user and entity', async () => {
    const request = {
      caller: { entityUserId: ME.toUpperCase(), entityId: ENTITY.toUpperCase() },
      headers: { 'x-monite-entity-id': ENTITY.toUpperCase() },
    };
    const context = contextFor('list', request);
    expect(guard.canActivate(context)).toBe(true);
    expect(getMoniteAccess(context.getArgByIndex(0))).toMatchObject({ user: me, caller: me, scope: 'all' });
  });

  it('33: allowed passes synchronously once the role is cached; the decision is on the request and audited', async () => {
    const context = contextFor('list', { caller: me });
    expect(guard.canActivate(context)).toBe(true);
    expect(getMoniteAccess(context.getArgByIndex(0))).toEqual({
      user: me,
      caller: me,
      objectType: 'payable',
      action: 'read',
      permission: 'allowed',
      scope: 'all',
      object: undefined,
    });
    expect(events).toEqual([
      {
        allowed: true,
        reason: 'allowed',
        entityUserId: ME,
        entityId: ENTITY,
        objectType: 'payable',
        action: 'read',
        handler: 'PayablesController.list',
      },
    ]);
  });

  it('33: not_allowed and no entry: 403 naming the permission', async () => {
    cache.entries.set(ME, roleOf({ read: 'not_allowed' }));
    const outcome = await run('list', { caller: me });
    expect(outcome.error?.getResponse()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Monite permission payable.read is not allowed for this user',
      reason: 'not_allowed',
      permission: 'payable.read',
    });
    cache.entries.set(ME, roleOf({}));
    expect(denial(await run('list', { caller: me }))).toEqual({ status: 403, reason: 'not_allowed' });
  });

  it('48: a role whose status is not active: 403 role_inactive, even where it lists allowed', async () => {
    cache.entries.set(ME, roleOf({ read: 'allowed' }, 'deleted'));
    expect(denial(await run('list', { caller: me }))).toEqual({ status: 403, reason: 'role_inactive' });
  });

  it('37: the role cannot be loaded: 503 role_unavailable, the cause logged and never sent', async () => {
    cache.entries.set(ME, new MoniteUnavailableError('Monite answered 503 with secret-ish detail'));
    const outcome = await run('list', { caller: me });
    expect(outcome.sync).toBe(false);
    expect(denial(outcome)).toEqual({ status: 503, reason: 'role_unavailable' });
    expect(JSON.stringify(outcome.error?.getResponse())).not.toContain('secret-ish');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Role unavailable for entity user ${ME}`));
  });

  it('35: allowed_for_own without an owner resolver passes with scope own', async () => {
    const context = contextFor('update', { caller: me });
    expect(guard.canActivate(context)).toBe(true);
    expect(getMoniteAccess(context.getArgByIndex(0))).toMatchObject({
      permission: 'allowed_for_own',
      scope: 'own',
    });
    expect(events.at(-1)).toMatchObject({ reason: 'own_scope' });
  });

  it('34: own object passes (synchronously with a synchronous resolver), in any spelling of the owner', async () => {
    expect(await run('approve', { caller: me, owner: () => ME.toUpperCase() })).toEqual({
      sync: true,
      allowed: true,
    });
    expect(await run('approve', { caller: me, owner: async () => ME })).toEqual({
      sync: false,
      allowed: true,
    });
    expect(events.map((event) => event.reason)).toEqual(['owner', 'owner']);
  });

  it('34 + finding "existence oracle": another user\'s object and an unknown owner read the same; the hook tells them apart', async () => {
    const other = await run('approve', { caller: me, owner: () => SOMEONE });
    const unknown = await run('approve', { caller: me, owner: () => null });
    expect(other.error?.getResponse()).toEqual(unknown.error?.getResponse());
    expect(denial(unknown)).toEqual({ status: 403, reason: 'not_owner' });
    expect(events.map((event) => event.reason)).toEqual(['not_owner', 'owner_unknown']);
  });

  it("an owner resolver's HttpException stands; any other failure is 503 owner_unavailable", async () => {
    const rejected = new HttpException('bad id', 400);
    expect(
      (
        await run('approve', {
          caller: me,
          owner: () => {
            throw rejected;
          },
        })
      ).error,
    ).toBe(rejected);
    expect(events.at(-1)).toMatchObject({ reason: 'owner_rejected' });
    for (const owner of [
      () => {
        throw new Error('db down');
      },
      () => Promise.reject(new Error('db down')),
    ]) {
      expect(denial(await run('approve', { caller: me, owner }))).toEqual({
        status: 503,
        reason: 'owner_unavailable',
      });
    }
  });

  it('an owner that does not resolve within requestTimeoutMs (on the injected clock): 503', async () => {
    const outcome = await run('approve', { caller: me, owner: () => new Promise(() => undefined) });
    expect(denial(outcome)).toEqual({ status: 503, reason: 'owner_unavailable' });
    expect(clock.sleeps).toEqual([250]);
  });

  it('38: the partner caller: allowed routes pass (access.caller says partner), allowed_for_own is a 403, no owner asked', async () => {
    const context = contextFor('list', { caller: moniteAsPartner(ENTITY) });
    expect(guard.canActivate(context)).toBe(true);
    expect(getMoniteAccess(context.getArgByIndex(0))).toMatchObject({
      user: { entityUserId: '', entityId: ENTITY },
      caller: { partner: true, entityId: ENTITY },
    });
    expect(events.at(-1)).toMatchObject({ entityUserId: undefined, entityId: ENTITY });
    const owner = jest.fn(() => ME);
    for (const route of ['approve', 'update'] as const) {
      const outcome = await run(route, { caller: moniteAsPartner(ENTITY), owner });
      expect(denial(outcome)).toEqual({ status: 403, reason: 'no_entity_user' });
    }
    expect(owner).not.toHaveBeenCalled();
  });

  it('the deprecated partner form { entityUserId: "" } still reads as the partner', async () => {
    expect(denial(await run('update', { caller: { entityUserId: '', entityId: ENTITY } }))).toEqual({
      status: 403,
      reason: 'no_entity_user',
    });
  });

  it('a partner whose role fails to load, even with a not-found, is an outage (503), not an unknown user', async () => {
    cache.entries.set(`partner:${ENTITY}`, new MoniteNotFoundError('no role'));
    expect(denial(await run('list', { caller: moniteAsPartner(ENTITY) }))).toEqual({
      status: 503,
      reason: 'role_unavailable',
    });
  });

  it('an audit hook that throws or rejects never changes the decision', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    for (const onAccessDecision of [
      () => {
        throw new Error('sink down');
      },
      () => Promise.reject(new Error('sink down')),
    ]) {
      const noisy = build({ hooks: { onAccessDecision } });
      expect(await run('list', { caller: me }, 'http', noisy)).toEqual({ sync: true, allowed: true });
      expect(denial(await run('unguarded', { caller: me }, 'http', noisy))).toEqual({
        status: 403,
        reason: 'no_permission_metadata',
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('onAccessDecision hook failed'));
  });
});
