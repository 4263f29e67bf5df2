/*
 * Agreement: the library's guard and the emulator's server-side check (written independently, the
 * way Monite enforces roles) reach the same decision for every owned object type x every action of
 * the library's matrix that the emulator serves x own / another user's / unowned objects, for
 * random roles (fast-check):
 *   - the role is created through the emulator's `/v1/roles` API and given to a fresh entity user
 *     through `/v1/entity_users` (partner token), exactly as a partner would;
 *   - the guard decides through a real Nest app over HTTP (monite-managed: role from `my_role`,
 *     owner from the built-in resolver, which loads the object from the emulator);
 *   - the emulator decides when the same user calls it directly with its own token.
 * Lists must agree on what they show too: the guard's scope `own` is the emulator's filtered list.
 * Actions without an emulator route (payable submit, cancel, ...) are covered against the
 * reference model in compiled-role.spec.ts.
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { DEMO_ENTITIES, DEMO_ROLES, DEMO_USERS, startMoniteEmulator } from 'monite-emulator';
import type { MoniteEmulator } from 'monite-emulator';
import {
  MONITE_OBJECT_CREATORS,
  MONITE_PERMISSION_MATRIX,
  type MoniteOwnedObjectType,
} from 'nestjs-monite-auth';
import request from 'supertest';
import {
  MoniteApi,
  OWNED_TYPES,
  bodiesOf,
  coveredRoutes,
  emulatorRouteKey,
  objectRoutesInOrder,
} from './apps/agreement-cases.js';
import { agreementApp, type AgreementRoutes } from './apps/agreement.app.js';
import { ADAPTERS, startApp, type AdapterName } from '../support/nest-app.js';

type Permission = 'allowed' | 'allowed_for_own' | 'not_allowed';
type Ownership = 'own' | 'other' | 'unowned';
const OWNERSHIPS: readonly Ownership[] = ['own', 'other', 'unowned'];
const ENTITY = DEMO_ENTITIES.acme.id;
const RUNS = 25;

const permissionArb = fc.constantFrom<Permission>('allowed', 'allowed_for_own', 'not_allowed');
/** A role: for each pair of the library's matrix on an owned type, absent or one permission; plus names a newer Monite might send. */
const roleArb = fc.record({
  grants: fc.record(
    Object.fromEntries(
      OWNED_TYPES.map((type) => [
        type,
        fc.dictionary(fc.constantFrom(...MONITE_PERMISSION_MATRIX[type]), permissionArb),
      ]),
    ) as Record<MoniteOwnedObjectType, fc.Arbitrary<Record<string, Permission>>>,
  ),
  noise: fc.boolean(),
});
type RandomRole = { grants: Record<string, Record<string, Permission>>; noise: boolean };

/*
 * Checked first, before the random roles: every action of every owned type `allowed_for_own`, so the
 * owner check is exercised on every type in every run (random roles alone now and then left a type
 * without one, and the not-vacuous check below failed for it: seen once in CI on Node 24).
 */
const ALL_OWN: RandomRole = {
  grants: Object.fromEntries(
    OWNED_TYPES.map((type) => [
      type,
      Object.fromEntries(MONITE_PERMISSION_MATRIX[type].map((action) => [action, 'allowed_for_own'])),
    ]),
  ),
  noise: false,
};

function toMonitePermissions(role: RandomRole) {
  const objects = Object.entries(role.grants).map(([object_type, actions]) => ({
    object_type,
    actions: Object.entries(actions).map(([action_name, permission]) => ({ action_name, permission })),
  }));
  if (role.noise)
    objects.push({ object_type: 'hologram', actions: [{ action_name: 'read', permission: 'allowed' }] });
  return { objects };
}

/** The emulator's answer as a decision: permission failures are 403 (or a 409 "Action ... not allowed"). */
function emulatorDecision(status: number, message: string | undefined): string {
  if (status === 403 || (status === 409 && /not allowed/i.test(message ?? ''))) return 'deny';
  // A status conflict (approving a paid payable) comes after the permission check: it was allowed.
  if ((status >= 200 && status < 300) || status === 409) return 'allow';
  throw new Error(`unexpected emulator status ${status}: ${message}`);
}

function guardDecision(status: number): string {
  if (status === 200 || status === 201) return 'allow';
  if (status === 403) return 'deny';
  throw new Error(`unexpected guard status ${status}`);
}

describe('agreement: guard vs emulator on random roles x every owned type and served action x own/other/unowned', () => {
  let emulator: MoniteEmulator;
  let api: MoniteApi;
  let routes: AgreementRoutes;
  const apps = new Map<AdapterName, INestApplication>();
  let partnerToken: string;
  let aliceToken: string;
  let runs = 0;
  let cases = 0;
  /** `type/action/ownership/permission` -> the emulator's decisions seen, to prove the property is not vacuous. */
  const seen = new Map<string, Set<string>>();
  const note = (key: string, permission: Permission | undefined, decision: string) => {
    const seenKey = `${key}/${permission ?? 'absent'}`;
    seen.set(seenKey, (seen.get(seenKey) ?? new Set()).add(decision));
  };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new MoniteApi(emulator.url, ENTITY);
    routes = coveredRoutes(emulator.routes());
    for (const adapter of ADAPTERS)
      apps.set(adapter, await startApp(adapter, agreementApp(emulator.url, routes)));
    partnerToken = await api.token();
    aliceToken = await api.token(DEMO_USERS.alice.id);
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await emulator.close();
  });

  it('covers every owned type and every served action of the matrix', () => {
    expect(Object.keys(routes).toSorted()).toEqual(Object.keys(MONITE_OBJECT_CREATORS).toSorted());
    for (const type of OWNED_TYPES) {
      expect({ type, actions: routes[type].map((r) => r.action) }).toEqual({
        type,
        actions: expect.arrayContaining(['create', 'read']),
      });
    }
    // Nothing the emulator serves is beyond what a guard can express.
    const guarded = new Set(
      OWNED_TYPES.flatMap((type) => routes[type].map((r) => emulatorRouteKey(type, r))),
    );
    const unguarded = emulator
      .routes()
      .filter((key) =>
        OWNED_TYPES.some((type) =>
          key.startsWith(`${key.split(' ')[0]} /v1${MONITE_OBJECT_CREATORS[type].path}`),
        ),
      )
      .filter((key) => !guarded.has(key));
    expect(unguarded).toEqual([]);
  });

  /** A fresh user with this role, and for every type three objects: its own, Alice's, and the partner's. */
  async function setUp(role: RandomRole) {
    runs += 1;
    const { id: roleId } = await api.ok<{ id: string }>('POST', '/roles', partnerToken, {
      name: `random role ${runs}`,
      permissions: toMonitePermissions(role),
    });
    // Created as an admin so it can create its own objects, then switched to the random role.
    const { id: userId } = await api.ok<{ id: string }>('POST', '/entity_users', partnerToken, {
      first_name: 'Random',
      login: `random.user.${runs}`,
      role_id: DEMO_ROLES.admin.id,
    });
    const userToken = await api.token(userId);
    const objects = {} as Record<MoniteOwnedObjectType, Record<Ownership, string>>;
    for (const type of OWNED_TYPES) {
      const { path } = MONITE_OBJECT_CREATORS[type];
      const { create } = bodiesOf(type);
      objects[type] = {
        own: (await api.ok<{ id: string }>('POST', path, userToken, create)).id,
        other: (await api.ok<{ id: string }>('POST', path, aliceToken, create)).id,
        unowned: (await api.ok<{ id: string }>('POST', path, partnerToken, create)).id,
      };
    }
    await api.ok('PATCH', `/entity_users/${userId}`, partnerToken, { role_id: roleId });
    return { userId, userToken, objects };
  }

  it(`every decision agrees (${RUNS} random roles, Express and Fastify in turn)`, async () => {
    await fc.assert(
      fc.asyncProperty(roleArb, async (role) => {
        const { userId, userToken, objects } = await setUp(role);
        const app = apps.get(ADAPTERS[runs % ADAPTERS.length]) as INestApplication;
        const caller = { 'x-test-user': userId, 'x-test-entity': ENTITY };
        const guard: Record<string, string> = {};
        const server: Record<string, string> = {};

        for (const type of OWNED_TYPES) {
          const { path } = MONITE_OBJECT_CREATORS[type];
          const bodies = bodiesOf(type);
          const grants = role.grants[type] ?? {};
          const mine = objects[type];
          // The list: same decision, and the guard's scope is what the emulator's list shows.
          const listed = await request(app.getHttpServer()).get(path).set(caller);
          guard[`${type}/list`] =
            listed.status === 200 ? `allow:${listed.body.scope}` : guardDecision(listed.status);
          const list = await api.listIds(path, bodies.listQuery, userToken);
          const shown = OWNERSHIPS.filter((o) => list.ids.includes(mine[o]));
          const scope = shown.length === 3 ? 'all' : shown.join('+');
          const listDecision = emulatorDecision(list.status, list.body.error?.message);
          server[`${type}/list`] = listDecision === 'allow' ? `allow:${scope}` : listDecision;
          // Create has no object: the same answer whoever would own it.
          guard[`${type}/create`] = guardDecision(
            (await request(app.getHttpServer()).post(path).set(caller)).status,
          );
          const created = await api.call('POST', path, userToken, bodies.create);
          server[`${type}/create`] = emulatorDecision(created.status, created.body.error?.message);
          cases += 2;

          for (const route of objectRoutesInOrder(routes[type])) {
            for (const ownership of OWNERSHIPS) {
              const id = mine[ownership];
              const key = `${type}/${route.action}/${ownership}`;
              const suffix = route.suffix.replace(':id', id);
              // The guard first: its handlers do not touch Monite, so the object is unchanged for the emulator.
              guard[key] = guardDecision(
                (await request(app.getHttpServer())[route.method](`${path}/${suffix}`).set(caller)).status,
              );
              const body = route.method === 'patch' ? bodies.update : undefined;
              const direct = await api.call(route.method.toUpperCase(), `${path}/${suffix}`, userToken, body);
              server[key] = emulatorDecision(direct.status, direct.body.error?.message);
              note(key, grants[route.action], server[key]!);
              cases += 1;
            }
          }
        }
        expect({ role: role.grants, decisions: guard }).toEqual({ role: role.grants, decisions: server });
      }),
      { numRuns: RUNS, endOnFailure: true, examples: [[ALL_OWN]] },
    );
    expect(runs).toBeGreaterThanOrEqual(RUNS);
    // Not vacuous: for every type, allowed_for_own let the caller act on its own object and
    // refused another user's, so neither side can have skipped the owner check unnoticed.
    for (const type of OWNED_TYPES) {
      expect({ type, own: seen.get(`${type}/read/own/allowed_for_own`) }).toEqual({
        type,
        own: new Set(['allow']),
      });
      expect({ type, other: seen.get(`${type}/read/other/allowed_for_own`) }).toEqual({
        type,
        other: new Set(['deny']),
      });
      expect({ type, unowned: seen.get(`${type}/read/unowned/allowed_for_own`) }).toEqual({
        type,
        unowned: new Set(['deny']),
      });
    }
    process.stdout.write(
      `agreement: ${runs} roles (ALL_OWN, then random ones), ${cases} decisions compared on each side\n`,
    );
  }, 600_000);
});
