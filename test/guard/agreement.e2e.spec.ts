/*
 * Agreement: the library's guard and the emulator's server-side check (written independently, the
 * way Monite enforces roles) must reach the same allow/deny decision. For random roles (fast-check),
 * every payable action the emulator serves, and own / another user's / unowned payables:
 *   - the role is created through the emulator's `/v1/roles` API and given to a fresh entity user
 *     through `/v1/entity_users` (partner token), exactly as a partner would;
 *   - the guard decides through a real Nest app over HTTP (monite-managed: role from `my_role`,
 *     owner from the built-in resolver);
 *   - the emulator decides when the same user calls it directly with its own token.
 * Payable actions the emulator has no route for (create_from_mail, submit, cancel, reopen) are
 * covered against the reference model in compiled-role.spec.ts.
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_ROLES, DEMO_USERS, startMoniteEmulator } from 'monite-emulator';
import type { MoniteEmulator } from 'monite-emulator';
import { DEFAULT_MONITE_API_VERSION, MONITE_PERMISSION_MATRIX } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp, type AdapterName } from '../support/nest-app.js';
import { moniteManagedApp } from './apps/monite-managed.app.js';

type Permission = 'allowed' | 'allowed_for_own' | 'not_allowed';
type Decision = 'allow' | 'deny';
type Ownership = 'own' | 'other' | 'unowned';

const ENTITY = DEMO_ENTITIES.acme.id;
const OWNERSHIPS: readonly Ownership[] = ['own', 'other', 'unowned'];
/** Payable actions with an object, in an order where no action hides another's decision (delete last). */
const OBJECT_ACTIONS = ['read', 'update', 'approve', 'pay', 'delete'] as const;
type ObjectAction = (typeof OBJECT_ACTIONS)[number];
/** Every payable action of the library's matrix (seed and newer ones), served by the emulator or not. */
const MATRIX_PAYABLE_ACTIONS = MONITE_PERMISSION_MATRIX.payable;

/** The guard's route and the emulator's endpoint for each action on a payable. */
const ROUTES: Record<ObjectAction, { method: 'get' | 'patch' | 'delete' | 'post'; suffix: string }> = {
  read: { method: 'get', suffix: '' },
  update: { method: 'patch', suffix: '' },
  delete: { method: 'delete', suffix: '' },
  approve: { method: 'post', suffix: '/approve' },
  pay: { method: 'post', suffix: '/pay' },
};

const permissionArb = fc.constantFrom<Permission>('allowed', 'allowed_for_own', 'not_allowed');

/** A role: for each payable action, absent or one permission; plus names a newer Monite might send. */
const roleArb = fc.record({
  payable: fc.dictionary(fc.constantFrom(...MATRIX_PAYABLE_ACTIONS), permissionArb),
  noise: fc.boolean(),
});
type RandomRole = { payable: Partial<Record<string, Permission>>; noise: boolean };

function toMonitePermissions(role: RandomRole) {
  const payableActions = Object.entries(role.payable).map(([action_name, permission]) => ({
    action_name,
    permission,
  }));
  const objects = [{ object_type: 'payable', actions: payableActions }];
  if (role.noise) {
    payableActions.push({ action_name: 'teleport', permission: 'allowed' });
    objects.push({ object_type: 'hologram', actions: [{ action_name: 'read', permission: 'allowed' }] });
  }
  return { objects };
}

/** Calls the emulator's API as Monite's clients do. */
class MoniteApi {
  constructor(private readonly baseUrl: string) {}

  async call(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: { error?: { message?: string } } & Record<string, unknown> }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-monite-version': DEFAULT_MONITE_API_VERSION,
        'x-monite-entity-id': ENTITY,
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

/** The emulator's answer as a decision: its permission failures are 403 (or a 409 "Action ... not allowed"). */
function emulatorDecision(status: number, message: string | undefined): Decision {
  if (status === 403 || (status === 409 && /not allowed/i.test(message ?? ''))) return 'deny';
  // A status conflict (approving a paid payable) comes after the permission check: it was allowed.
  if ((status >= 200 && status < 300) || status === 409) return 'allow';
  throw new Error(`unexpected emulator status ${status}: ${message}`);
}

function guardDecision(status: number): Decision {
  if (status === 200 || status === 201) return 'allow';
  if (status === 403) return 'deny';
  throw new Error(`unexpected guard status ${status}`);
}

describe('agreement: guard vs emulator on random roles x payable actions x own/other/unowned payables', () => {
  let emulator: MoniteEmulator;
  let api: MoniteApi;
  const apps = new Map<AdapterName, INestApplication>();
  let partnerToken: string;
  let aliceToken: string;
  let runs = 0;
  const seen: Record<Decision, number> = { allow: 0, deny: 0 };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new MoniteApi(emulator.url);
    for (const adapter of ADAPTERS)
      apps.set(adapter, await startApp(adapter, moniteManagedApp(emulator.url)));
    partnerToken = await api.token();
    aliceToken = await api.token(DEMO_USERS.alice.id);
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await emulator.close();
  });

  /** A fresh user with this role, and three payables: its own, Alice's, and one the partner created. */
  async function setUp(role: RandomRole) {
    runs += 1;
    const { id: roleId } = await api.ok<{ id: string }>('POST', '/roles', partnerToken, {
      name: `random role ${runs}`,
      permissions: toMonitePermissions(role),
    });
    // Created as an admin so it can create its own payable, then switched to the random role.
    const { id: userId } = await api.ok<{ id: string }>('POST', '/entity_users', partnerToken, {
      first_name: 'Random',
      login: `random.user.${runs}`,
      role_id: DEMO_ROLES.admin.id,
    });
    const userToken = await api.token(userId);
    const payable = { amount: 100, currency: 'EUR' };
    const payables: Record<Ownership, string> = {
      own: (await api.ok<{ id: string }>('POST', '/payables', userToken, payable)).id,
      other: (await api.ok<{ id: string }>('POST', '/payables', aliceToken, payable)).id,
      unowned: (await api.ok<{ id: string }>('POST', '/payables', partnerToken, payable)).id,
    };
    await api.ok('PATCH', `/entity_users/${userId}`, partnerToken, { role_id: roleId });
    return { userId, userToken, payables };
  }

  it('every decision agrees (bounded random roles, Express and Fastify in turn)', async () => {
    await fc.assert(
      fc.asyncProperty(roleArb, async (role) => {
        const { userId, userToken, payables } = await setUp(role);
        const app = apps.get(ADAPTERS[runs % ADAPTERS.length]) as INestApplication;
        const caller = { 'x-test-user': userId, 'x-test-entity': ENTITY };
        const guard: Record<string, Decision> = {};
        const server: Record<string, Decision> = {};

        // Create has no object: the same answer whoever would own it.
        guard['create'] = guardDecision(
          (await request(app.getHttpServer()).post('/payables').set(caller)).status,
        );
        const created = await api.call('POST', '/payables', userToken, { amount: 1, currency: 'EUR' });
        server['create'] = emulatorDecision(created.status, created.body.error?.message);

        for (const action of OBJECT_ACTIONS) {
          const { method, suffix } = ROUTES[action];
          for (const ownership of OWNERSHIPS) {
            const id = payables[ownership];
            const key = `${action}/${ownership}`;
            // The guard first: its handlers do not touch Monite, so the payable is unchanged for the emulator.
            const agent = request(app.getHttpServer());
            const viaGuard = await agent[method](`/payables/${id}${suffix}`).set(caller);
            guard[key] = guardDecision(viaGuard.status);
            const direct = await api.call(
              method.toUpperCase(),
              `/payables/${id}${suffix}`,
              userToken,
              method === 'patch' ? {} : undefined,
            );
            server[key] = emulatorDecision(direct.status, direct.body.error?.message);
          }
        }
        for (const decision of Object.values(server)) seen[decision] += 1;
        expect({ role: role.payable, decisions: guard }).toEqual({ role: role.payable, decisions: server });
      }),
      { numRuns: 25, endOnFailure: true },
    );
    // Both answers were exercised: the property is not vacuous.
    expect(runs).toBeGreaterThanOrEqual(25);
    expect(seen.allow).toBeGreaterThan(0);
    expect(seen.deny).toBeGreaterThan(0);
  });
});
