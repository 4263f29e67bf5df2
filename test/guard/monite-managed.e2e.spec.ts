/*
 * TEST-CHECKLIST.md "Guard" 33-40 in the monite-managed model, through real Nest apps on Express
 * and Fastify against the emulator: roles come from `GET /v1/entity_users/my_role` with the user's
 * own token, owners from the built-in resolver that loads the payable from Monite.
 */
import type { INestApplication } from '@nestjs/common';
import { DEMO_ENTITIES, DEMO_PAYABLES, DEMO_ROLES, DEMO_USERS, startMoniteEmulator } from 'monite-emulator';
import type { MoniteEmulator } from 'monite-emulator';
import { MoniteTokenService, type MoniteAccessDecisionEvent } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { PARTNER_CALLER, testUserHeaders } from './apps/fixtures.js';
import { createEntityUser } from './apps/emulator-users.js';
import { moniteManagedApp } from './apps/monite-managed.app.js';

const MY_ROLE = 'GET /v1/entity_users/my_role';
const TOKEN = 'POST /v1/auth/token';
const GET_PAYABLE = 'GET /v1/payables/:id';
const ACME = DEMO_ENTITIES.acme.id;
const GLOBEX = DEMO_ENTITIES.globex.id;

const as = (user: { id: string; entityId: string } | string, entity = ACME): Record<string, string> =>
  typeof user === 'string' ? { 'x-test-user': user, 'x-test-entity': entity } : testUserHeaders(user);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let emulator: MoniteEmulator;

beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

describe.each(ADAPTERS)('guard, monite-managed model against the emulator (%s)', (adapter) => {
  const events: MoniteAccessDecisionEvent[] = [];
  let app: INestApplication;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp(
      adapter,
      moniteManagedApp(emulator.url, { hooks: { onAccessDecision: (event) => void events.push(event) } }),
    );
    http = () => request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('33: not_allowed, no entry, allowed: 403, 403, 200 (roles fetched from my_role)', async () => {
    // Carol (AP clerk) has payable.approve not_allowed; Erin (auditor) has no approve entry.
    const notAllowed = await http()
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(as(DEMO_USERS.carol))
      .expect(403);
    expect(notAllowed.body).toMatchObject({ permission: 'payable.approve', reason: 'not_allowed' });
    const noEntry = await http()
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(as(DEMO_USERS.erin))
      .expect(403);
    expect(noEntry.body).toMatchObject({ permission: 'payable.approve' });
    const allowed = await http()
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(as(DEMO_USERS.alice))
      .expect(201);
    expect(allowed.body).toMatchObject({ permission: 'allowed', scope: 'all' });
  });

  it("fetches the role once from my_role with the user's own token and entity, shared by concurrent requests", async () => {
    const before = emulator.count(MY_ROLE);
    // Bob's first requests on this app: 20 at once make one role fetch.
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => http().get('/payables').set(as(DEMO_USERS.bob))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(emulator.count(MY_ROLE) - before).toBe(1);
    const [fetch] = emulator.requests(MY_ROLE).slice(-1);
    expect(fetch.headers).toMatchObject({
      authorization: 'Bearer [redacted]',
      'x-monite-entity-id': ACME,
      'x-monite-version': expect.any(String),
    });
    // my_role answers the token's own user (a partner token would be refused): Bob's role, read allowed.
    expect(responses[0].body).toMatchObject({ permission: 'allowed', scope: 'all' });
  });

  it("34: built-in owner resolver x own payable, another user's, owner null: 200, 403, 403", async () => {
    const loadsBefore = emulator.count(GET_PAYABLE);
    const own = await http()
      .get(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(as(DEMO_USERS.carol))
      .expect(200);
    // The payable the resolver loaded reaches the handler: Monite was asked once for this request.
    expect(own.body).toMatchObject({ permission: 'allowed_for_own', scope: 'own' });
    expect(own.body.object).toMatchObject({
      id: DEMO_PAYABLES.carolNew.id,
      was_created_by_user_id: DEMO_USERS.carol.id,
    });
    expect(emulator.count(GET_PAYABLE) - loadsBefore).toBe(1);

    const other = await http()
      .get(`/payables/${DEMO_PAYABLES.frankNew.id}`)
      .set(as(DEMO_USERS.carol))
      .expect(403);
    expect(other.body).toMatchObject({ permission: 'payable.read', reason: 'not_owner' });
    const unowned = await http()
      .get(`/payables/${DEMO_PAYABLES.partnerNew.id}`)
      .set(as(DEMO_USERS.carol))
      .expect(403);
    // A payable of another entity is invisible from the caller's entity: owner unknown. Neither
    // denial tells the caller whether the payable exists (no existence oracle).
    const elsewhere = await http()
      .get(`/payables/${DEMO_PAYABLES.heidiNew.id}`)
      .set(as(DEMO_USERS.carol))
      .expect(403);
    expect(unowned.body).toEqual(other.body);
    expect(elsewhere.body).toEqual(other.body);
    // An id that is not a UUID never reaches Monite.
    const before = emulator.count(GET_PAYABLE);
    await http().get('/payables/..%2Froles').set(as(DEMO_USERS.carol)).expect(400);
    expect(emulator.count(GET_PAYABLE)).toBe(before);
  });

  it('35: allowed_for_own without an owner resolver: the handler gets scope own', async () => {
    const list = await http().get('/payables').set(as(DEMO_USERS.frank)).expect(200);
    expect(list.body).toMatchObject({ permission: 'allowed_for_own', scope: 'own' });
    const create = await http().post('/payables').set(as(DEMO_USERS.carol)).expect(201);
    expect(create.body).toMatchObject({ scope: 'own', user: { entityUserId: DEMO_USERS.carol.id } });
  });

  it('36: a read-only role calling DELETE or PATCH: 403', async () => {
    await http().get(`/payables/${DEMO_PAYABLES.carolNew.id}`).set(as(DEMO_USERS.erin)).expect(200);
    const del = await http()
      .delete(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(as(DEMO_USERS.erin))
      .expect(403);
    expect(del.body).toMatchObject({ permission: 'payable.delete' });
    const patch = await http()
      .patch(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(as(DEMO_USERS.erin))
      .expect(403);
    expect(patch.body).toMatchObject({ permission: 'payable.update' });
  });

  it('38: no entity user: 401; the partner caller (no role in Monite): 403; a user with no role: 403', async () => {
    await http().get('/payables').expect(401);
    const before = emulator.count(MY_ROLE);
    const partner = await http().get('/payables').set(as(PARTNER_CALLER)).expect(403);
    expect(partner.body).toMatchObject({ permission: 'payable.read' });
    // The partner is never sent to my_role (it is no entity user).
    expect(emulator.count(MY_ROLE)).toBe(before);
    await http().get('/payables').set(as(DEMO_USERS.nora)).expect(403);
  });

  it('finding "an unknown caller is an outage": an entity user Monite does not know is a 401, and costs Monite one call a minute', async () => {
    const forged = '0badc0de-0000-4000-8000-000000000001';
    const tokenRequests = emulator.count(TOKEN);
    const first = await http().get('/payables').set(as(forged)).expect(401);
    expect(first.body).toMatchObject({ statusCode: 401, reason: 'unknown_entity_user' });
    expect(emulator.count(TOKEN) - tokenRequests).toBe(1);
    for (const spelling of [forged, forged.toUpperCase(), forged]) {
      await http().get('/payables').set(as(spelling)).expect(401);
    }
    expect(emulator.count(TOKEN) - tokenRequests).toBe(1);
    // An id that is not a UUID never reaches Monite.
    await http().get('/payables').set(as('alice')).expect(401);
    expect(emulator.count(TOKEN) - tokenRequests).toBe(1);
  });

  it('44: finding "revocation only when the letter case matches": an upper-case caller is one user; revoking its token in any spelling drops its role', async () => {
    // Demo ids are all digits: a user the emulator creates has letters in its id, as Monite's do.
    const casey = await createEntityUser(emulator.url, ACME, `casey.${adapter}`);
    expect(casey).toMatch(/[a-f]/);
    const upper = { 'x-test-user': casey.toUpperCase(), 'x-test-entity': ACME };
    await http().get('/payables').set(upper).expect(200);
    const fetches = emulator.count(MY_ROLE);
    await http().get('/payables').set(as(casey)).expect(200);
    // One user, one cache entry, whatever the spelling.
    expect(emulator.count(MY_ROLE)).toBe(fetches);
    const tokens = app.get(MoniteTokenService);
    await tokens.revokeToken((await tokens.getEntityUserToken(casey)).accessToken);
    await http().get('/payables').set(upper).expect(200);
    expect(emulator.count(MY_ROLE)).toBe(fetches + 1);
  });

  it("39: x-monite-entity-id naming another entity than the caller's: 403; its own: 200", async () => {
    const other = await http()
      .get('/payables')
      .set(as(DEMO_USERS.alice))
      .set('x-monite-entity-id', GLOBEX)
      .expect(403);
    expect(other.body).toMatchObject({ reason: 'entity_mismatch' });
    await http().get('/payables').set(as(DEMO_USERS.alice)).set('x-monite-entity-id', ACME).expect(200);
    // Grace is an admin of Globex: naming Acme does not lend her Acme.
    await http().get('/payables').set(as(DEMO_USERS.grace)).set('x-monite-entity-id', ACME).expect(403);
  });

  it('reports each decision with user, entity, object type, action and reason to the audit hook', async () => {
    await http().get(`/payables/${DEMO_PAYABLES.frankNew.id}`).set(as(DEMO_USERS.carol)).expect(403);
    expect(events).toEqual([
      {
        allowed: false,
        reason: 'not_owner',
        entityUserId: DEMO_USERS.carol.id,
        entityId: ACME,
        objectType: 'payable',
        action: 'read',
        handler: 'PayablesController.get',
      },
    ]);
  });
});

describe.each(ADAPTERS)('guard, monite-managed, role unavailable (%s)', (adapter) => {
  const events: MoniteAccessDecisionEvent[] = [];
  let app: INestApplication;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp(
      adapter,
      moniteManagedApp(emulator.url, {
        // Every request loads the role, so each fault below meets a role fetch.
        roleCacheTtlMs: 0,
        requestTimeoutMs: 500,
        retry: { maxRetries: 0 },
        hooks: { onAccessDecision: (event) => void events.push(event) },
      }),
    );
    http = () => request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['5xx', { status: 503 }],
    ['500', { status: 500 }],
    ['timeout', { hang: true }],
    ['malformed JSON (HTML page)', { malformed: true }],
    ['a malformed role', { body: { id: 'x', permissions: { objects: 'everything' } } }],
    ['a role that is not an object', { body: ['allowed'] }],
  ])('37: the role cannot be fetched (%s): 503, never a pass', async (_name, fault) => {
    // Alice is an admin: anything but a 503 here would be a pass.
    await http().get('/payables').set(as(DEMO_USERS.alice)).expect(200);
    events.length = 0;
    emulator.fault(MY_ROLE, fault);
    const response = await http().get('/payables').set(as(DEMO_USERS.alice)).expect(503);
    expect(response.body).toMatchObject({ statusCode: 503, reason: 'role_unavailable' });
    expect(events).toEqual([expect.objectContaining({ allowed: false, reason: 'role_unavailable' })]);
    // A failure is not cached: the next request loads the role again and passes.
    await http().get('/payables').set(as(DEMO_USERS.alice)).expect(200);
  });

  it('48: finding "one unknown permission value makes the whole role 503": that pair is denied, the rest of the role decides', async () => {
    const role = {
      id: DEMO_ROLES.treasurer.id,
      name: 'future',
      status: 'active',
      permissions: {
        objects: [
          {
            object_type: 'payable',
            actions: [
              { action_name: 'read', permission: 'allowed' },
              { action_name: 'approve', permission: 'allowed_for_team' },
              { action_name: '', permission: 'allowed' },
            ],
          },
          { object_type: 'hologram', actions: [{ action_name: 'read', permission: 'allowed' }] },
        ],
      },
    };
    emulator.fault(MY_ROLE, { body: role });
    await http().get('/payables').set(as(DEMO_USERS.alice)).expect(200);
    emulator.fault(MY_ROLE, { body: role });
    const approve = await http()
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(as(DEMO_USERS.alice))
      .expect(403);
    expect(approve.body).toMatchObject({ reason: 'not_allowed', permission: 'payable.approve' });
  });

  it('48: finding "a role with status deleted is obeyed": a role that is not active denies everything (403 role_inactive)', async () => {
    emulator.fault(MY_ROLE, {
      body: {
        status: 'deleted',
        permissions: {
          objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
        },
      },
    });
    const denied = await http().get('/payables').set(as(DEMO_USERS.alice)).expect(403);
    expect(denied.body).toMatchObject({ reason: 'role_inactive', permission: 'payable.read' });
  });
});

describe.each(ADAPTERS)('guard, monite-managed, a role changed in Monite (%s)', (adapter) => {
  const TTL_MS = 300;
  let app: INestApplication;
  let http: () => ReturnType<typeof request>;
  const original = structuredClone(DEMO_ROLES.treasurer.permissions);
  const readOnly = {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' as const }] }],
  };

  beforeAll(async () => {
    app = await startApp(adapter, moniteManagedApp(emulator.url, { roleCacheTtlMs: TTL_MS }));
    http = () => request(app.getHttpServer());
  });
  afterAll(async () => {
    emulator.setRolePermissions(DEMO_ROLES.treasurer.id, original);
    await app.close();
  });
  afterEach(() => {
    emulator.setRolePermissions(DEMO_ROLES.treasurer.id, original);
  });

  it('40: a role downgraded in Monite takes effect within the role TTL', async () => {
    // Dave (treasurer) may pay any payable.
    await http().post(`/payables/${DEMO_PAYABLES.carolApproved.id}/pay`).set(as(DEMO_USERS.dave)).expect(201);
    emulator.setRolePermissions(DEMO_ROLES.treasurer.id, readOnly);
    await sleep(TTL_MS + 100);
    const denied = await http()
      .post(`/payables/${DEMO_PAYABLES.carolApproved.id}/pay`)
      .set(as(DEMO_USERS.dave))
      .expect(403);
    expect(denied.body).toMatchObject({ permission: 'payable.pay', reason: 'not_allowed' });
    await http().get('/payables').set(as(DEMO_USERS.dave)).expect(200);
  });

  it("40: within the TTL the cached role serves; revoking the user's token drops it at once", async () => {
    // An app with the default TTL (60 s), so nothing here expires by itself.
    const longLived = await startApp(adapter, moniteManagedApp(emulator.url));
    try {
      const pay = () =>
        request(longLived.getHttpServer())
          .post(`/payables/${DEMO_PAYABLES.carolApproved.id}/pay`)
          .set(as(DEMO_USERS.dave));
      await pay().expect(201);
      const fetches = emulator.count(MY_ROLE);
      emulator.setRolePermissions(DEMO_ROLES.treasurer.id, readOnly);
      await pay().expect(201);
      expect(emulator.count(MY_ROLE)).toBe(fetches);
      const tokens = longLived.get(MoniteTokenService);
      await tokens.revokeToken((await tokens.getEntityUserToken(DEMO_USERS.dave.id)).accessToken);
      await pay().expect(403);
      expect(emulator.count(MY_ROLE)).toBe(fetches + 1);
    } finally {
      await longLived.close();
    }
  });
});
