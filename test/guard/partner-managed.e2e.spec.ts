/*
 * TEST-CHECKLIST.md "Guard" 32-39 through real Nest apps on Express and Fastify (supertest), in the
 * partner-managed model with a function role provider: no Monite call is involved, so every
 * outcome here is the guard's own. 37 and 40 against Monite are in monite-managed.e2e.spec.ts.
 */
import type { INestApplication } from '@nestjs/common';
import type { MoniteAccessDecisionEvent } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import {
  ENTITY,
  OTHER_ENTITY,
  PARTNER_CALLER,
  PAYABLE_IDS,
  USERS,
  userFromHeadersAsync,
} from './apps/fixtures.js';
import { partnerManagedApp } from './apps/partner-managed.app.js';

const as = (user: string, entity?: string): Record<string, string> => ({
  'x-test-user': user,
  ...(entity !== undefined ? { 'x-test-entity': entity } : {}),
});

describe.each(ADAPTERS)('guard, partner-managed model (%s)', (adapter) => {
  const events: MoniteAccessDecisionEvent[] = [];
  let app: INestApplication;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp(
      adapter,
      partnerManagedApp({
        requestTimeoutMs: 300,
        hooks: { onAccessDecision: (event) => void events.push(event) },
      }),
    );
    http = () => request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('32: a guarded route with no permission metadata and not public: 403, with or without a user', async () => {
    const withUser = await http().get('/payables/unguarded').set(as(USERS.admin)).expect(403);
    expect(withUser.body).toMatchObject({ statusCode: 403, reason: 'no_permission_metadata' });
    await http().get('/payables/unguarded').expect(403);
    expect(withUser.text).not.toContain('nobody should read this');
  });

  it('32: a @MonitePublic route passes without a user, and @MoniteAccess is undefined there', async () => {
    const response = await http().get('/payables/health').expect(200);
    expect(response.body).toEqual({ ok: true, access: null });
  });

  it('33: not_allowed, no entry, allowed: 403, 403, 200', async () => {
    const notAllowed = await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.denied))
      .expect(403);
    expect(notAllowed.body).toMatchObject({
      message: 'Monite permission payable.approve is not allowed for this user',
      permission: 'payable.approve',
      reason: 'not_allowed',
    });
    const noEntry = await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.reader))
      .expect(403);
    expect(noEntry.body).toMatchObject({ permission: 'payable.approve', reason: 'not_allowed' });
    await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.admin))
      .expect(201, { approved: PAYABLE_IDS.ofA });
  });

  it('33: the handler-level @MonitePermission wins over the class-level one', async () => {
    const list = await http().get('/roles').set(as(USERS.reader)).expect(200);
    expect(list.body).toMatchObject({ objectType: 'role', action: 'read', scope: 'all' });
    const create = await http().post('/roles').set(as(USERS.reader)).expect(403);
    expect(create.body).toMatchObject({ permission: 'role.create' });
    await http().get('/roles/public').expect(200, { open: true });
  });

  it("34: allowed_for_own with an owner resolver x own object, another user's, owner null: 200, 403, 403", async () => {
    const own = await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    expect(own.body.access).toMatchObject({ permission: 'allowed_for_own', scope: 'own' });
    expect(own.body.object).toMatchObject({ id: PAYABLE_IDS.ofA, createdBy: USERS.ownerA });

    const other = await http().get(`/payables/${PAYABLE_IDS.ofB}`).set(as(USERS.ownerA)).expect(403);
    expect(other.body).toMatchObject({ permission: 'payable.read', reason: 'not_owner' });
    const unowned = await http().get(`/payables/${PAYABLE_IDS.unowned}`).set(as(USERS.ownerA)).expect(403);
    expect(unowned.body).toMatchObject({ reason: 'owner_unknown' });
    const missing = await http().get('/payables/no-such-payable').set(as(USERS.ownerA)).expect(403);
    expect(missing.body).toMatchObject({ reason: 'owner_unknown' });

    // The same through approve, update and delete; the owner of B passes where A fails.
    await http().post(`/payables/${PAYABLE_IDS.ofB}/approve`).set(as(USERS.ownerA)).expect(403);
    await http().post(`/payables/${PAYABLE_IDS.ofB}/approve`).set(as(USERS.ownerB)).expect(201);
    await http().patch(`/payables/${PAYABLE_IDS.ofB}`).set(as(USERS.ownerA)).expect(403);
    await http().delete(`/payables/${PAYABLE_IDS.unowned}`).set(as(USERS.ownerB)).expect(403);
  });

  it('35: allowed_for_own without an owner resolver: the handler sees scope own and filters the list', async () => {
    const own = await http().get('/payables').set(as(USERS.ownerA)).expect(200);
    expect(own.body.access).toEqual({
      user: { entityUserId: USERS.ownerA, entityId: ENTITY },
      objectType: 'payable',
      action: 'read',
      permission: 'allowed_for_own',
      scope: 'own',
    });
    expect(own.body.items.map((p: { id: string }) => p.id)).toEqual([PAYABLE_IDS.ofA]);

    const all = await http().get('/payables').set(as(USERS.admin)).expect(200);
    expect(all.body.access.scope).toBe('all');
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('35: a create with scope own carries the caller as owner whatever the body says', async () => {
    const created = await http()
      .post('/payables')
      .set(as(USERS.ownerA))
      .send({ createdBy: USERS.ownerB, amount: 5 })
      .expect(201);
    expect(created.body.createdBy).toBe(USERS.ownerA);
    // With scope all the handler keeps what the body says.
    const byAdmin = await http()
      .post('/payables')
      .set(as(USERS.admin))
      .send({ createdBy: USERS.ownerB, amount: 6 })
      .expect(201);
    expect(byAdmin.body.createdBy).toBe(USERS.ownerB);
  });

  it('35: with scope own every id of a batch is checked', async () => {
    const mixed = await http()
      .post('/payables/batch/approve')
      .set(as(USERS.ownerA))
      .send({ ids: [PAYABLE_IDS.ofA, PAYABLE_IDS.ofB] })
      .expect(403);
    expect(mixed.body.message).toContain(PAYABLE_IDS.ofB);
    await http()
      .post('/payables/batch/approve')
      .set(as(USERS.ownerA))
      .send({ ids: [PAYABLE_IDS.ofA] })
      .expect(201, { approved: [PAYABLE_IDS.ofA] });
  });

  it('36: a read-only role calling DELETE or PATCH: 403', async () => {
    await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.reader)).expect(200);
    const del = await http().delete(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.reader)).expect(403);
    expect(del.body).toMatchObject({ permission: 'payable.delete' });
    const patch = await http().patch(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.reader)).expect(403);
    expect(patch.body).toMatchObject({ permission: 'payable.update' });
  });

  it('36: unknown object types or actions in a role grant nothing: 403', async () => {
    // The role lists "payables" (not a type), "hologram", and payable actions "approve_v2", "teleport".
    await http().get('/payables').set(as(USERS.futurist)).expect(403);
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.futurist)).expect(403);
  });

  it('37: the role cannot be loaded (provider throws, hangs past the timeout, answers garbage): 503, never a pass', async () => {
    for (const user of [USERS.broken, USERS.hanging, USERS.garbled]) {
      const response = await http().get('/payables').set(as(user)).expect(503);
      expect(response.body).toMatchObject({ statusCode: 503, reason: 'role_unavailable' });
      expect(response.text).not.toContain('ACL database unreachable');
    }
  });

  it('38: no entity user on the request: 401', async () => {
    const response = await http().get('/payables').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, reason: 'no_user' });
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).expect(401);
  });

  it('38: a partner-token caller on an allowed_for_own route: 403, it owns nothing', async () => {
    // Its role (from the partner's ACL) gives allowed_for_own on payables.
    const list = await http().get('/payables').set(as(PARTNER_CALLER)).expect(403);
    expect(list.body).toMatchObject({ reason: 'no_entity_user' });
    await http().get(`/payables/${PAYABLE_IDS.unowned}`).set(as(PARTNER_CALLER)).expect(403);
    await http().post('/payables').set(as(PARTNER_CALLER)).send({ amount: 1 }).expect(403);
  });

  it("39: x-monite-entity-id naming another entity than the caller's: 403; naming its own: passes", async () => {
    const other = await http()
      .get('/payables')
      .set(as(USERS.admin))
      .set('x-monite-entity-id', OTHER_ENTITY)
      .expect(403);
    expect(other.body).toMatchObject({ reason: 'entity_mismatch' });
    await http().get('/payables').set(as(USERS.admin)).set('x-monite-entity-id', ENTITY).expect(200);
    // The caller's entity comes from resolveEntityUser only: a user of the other entity is checked against it.
    await http()
      .get('/payables')
      .set(as(USERS.admin, OTHER_ENTITY))
      .set('x-monite-entity-id', ENTITY)
      .expect(403);
  });

  it('reports every decision to the audit hook: allow and deny, user, entity, permission, reason, handler', async () => {
    await http().get('/payables').set(as(USERS.admin)).expect(200);
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.denied)).expect(403);
    await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    await http().get('/payables').expect(401);
    expect(events).toEqual([
      {
        allowed: true,
        reason: 'allowed',
        entityUserId: USERS.admin,
        entityId: ENTITY,
        objectType: 'payable',
        action: 'read',
        handler: 'PayablesController.list',
      },
      {
        allowed: false,
        reason: 'not_allowed',
        entityUserId: USERS.denied,
        entityId: ENTITY,
        objectType: 'payable',
        action: 'approve',
        handler: 'PayablesController.approve',
      },
      expect.objectContaining({
        allowed: true,
        reason: 'owner',
        entityUserId: USERS.ownerA,
        handler: 'PayablesController.get',
      }),
      expect.objectContaining({
        allowed: false,
        reason: 'no_user',
        entityUserId: undefined,
        objectType: 'payable',
      }),
    ]);
  });
});

describe.each(ADAPTERS)('guard with a failing audit hook and async user resolution (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(
      adapter,
      partnerManagedApp({
        resolveEntityUser: userFromHeadersAsync,
        hooks: {
          onAccessDecision: () => {
            throw new Error('audit sink down');
          },
        },
      }),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('an audit hook that throws never changes a decision', async () => {
    await request(app.getHttpServer()).get('/payables').set(as(USERS.admin)).expect(200);
    await request(app.getHttpServer())
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.reader))
      .expect(403);
  });

  it('an asynchronous resolveEntityUser decides the same way (33, 34, 38)', async () => {
    await request(app.getHttpServer()).get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    await request(app.getHttpServer()).get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerB)).expect(403);
    await request(app.getHttpServer()).get('/payables').expect(401);
  });
});
