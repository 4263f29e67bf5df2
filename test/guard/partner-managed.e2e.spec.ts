/*
 * TEST-CHECKLIST.md "Guard" 32-39 and the hardening cases that live on the wire (44: spelling of
 * ids and headers as clients send them), through real Nest apps on Express and Fastify, in the
 * partner-managed model with a function role provider: no Monite call is involved, so every
 * outcome here is the guard's own. Each branch of the decision table is proven in milliseconds by
 * the unit specs beside the guard; these suites prove the wire: headers read, decisions handed to
 * handlers, statuses and bodies on both adapters. 37 and 40 against Monite: monite-managed.e2e.spec.ts.
 */
import type { INestApplication } from '@nestjs/common';
import type { MoniteAccessDecisionEvent } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import {
  DEPRECATED_PARTNER_CALLER,
  ENTITY,
  OTHER_ENTITY,
  PARTNER_CALLER,
  PAYABLE_IDS,
  ROLE_LOOKUPS,
  USERS,
  userFromHeadersAsync,
} from './apps/fixtures.js';
import { partnerManagedApp } from './apps/partner-managed.app.js';

const as = (user: string, entity?: string): Record<string, string> => ({
  'x-test-user': user,
  ...(entity !== undefined ? { 'x-test-entity': entity } : {}),
});

/** How often the role provider was asked about a user. */
const lookups = (id: string) => ROLE_LOOKUPS.filter((asked) => asked === id).length;

/** A header sent twice (two header lines; Node hands the app one value joined by ", "). */
const twice = (first: string, second: string) => [first, second] as unknown as string;

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

  it('33: not_allowed, no entry, allowed: 403, 403, 200; the handler-level @MonitePermission wins', async () => {
    const notAllowed = await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.denied))
      .expect(403);
    expect(notAllowed.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Monite permission payable.approve is not allowed for this user',
      reason: 'not_allowed',
      permission: 'payable.approve',
    });
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.reader)).expect(403);
    await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.admin))
      .expect(201, { approved: PAYABLE_IDS.ofA });
    const list = await http().get('/roles').set(as(USERS.reader)).expect(200);
    expect(list.body).toMatchObject({ objectType: 'role', action: 'read', scope: 'all' });
    await http().post('/roles').set(as(USERS.reader)).expect(403);
    await http().get('/roles/public').expect(200, { open: true });
  });

  it("34: own object, another user's, owner null or unknown: 200, 403, 403 (one body for both denials)", async () => {
    const own = await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    expect(own.body.access).toMatchObject({ permission: 'allowed_for_own', scope: 'own' });
    expect(own.body.object).toMatchObject({ id: PAYABLE_IDS.ofA, createdBy: USERS.ownerA });

    const other = await http().get(`/payables/${PAYABLE_IDS.ofB}`).set(as(USERS.ownerA)).expect(403);
    const unowned = await http().get(`/payables/${PAYABLE_IDS.unowned}`).set(as(USERS.ownerA)).expect(403);
    const missing = await http().get('/payables/no-such-payable').set(as(USERS.ownerA)).expect(403);
    // No existence oracle: the caller cannot tell another user's payable from one that does not exist.
    expect(other.body).toMatchObject({ permission: 'payable.read', reason: 'not_owner' });
    expect(unowned.body).toEqual(other.body);
    expect(missing.body).toEqual(other.body);
    // The audit hook keeps them apart.
    expect(events.map((event) => event.reason)).toEqual([
      'owner',
      'not_owner',
      'owner_unknown',
      'owner_unknown',
    ]);
    await http().post(`/payables/${PAYABLE_IDS.ofB}/approve`).set(as(USERS.ownerB)).expect(201);
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
  });

  it('35: a create with scope own carries the caller as owner; every id of a batch is checked', async () => {
    const created = await http()
      .post('/payables')
      .set(as(USERS.ownerA))
      .send({ createdBy: USERS.ownerB, amount: 5 })
      .expect(201);
    expect(created.body.createdBy).toBe(USERS.ownerA);
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

  it('36: a read-only role calling DELETE or PATCH, and a role of unknown types and actions: 403', async () => {
    const del = await http().delete(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.reader)).expect(403);
    expect(del.body).toMatchObject({ permission: 'payable.delete' });
    const patch = await http().patch(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.reader)).expect(403);
    expect(patch.body).toMatchObject({ permission: 'payable.update' });
    await http().get('/payables').set(as(USERS.futurist)).expect(403);
  });

  it('37: the role cannot be loaded (provider throws, hangs past the timeout, answers garbage): 503, never a pass', async () => {
    for (const user of [USERS.broken, USERS.hanging, USERS.garbled]) {
      const response = await http().get('/payables').set(as(user)).expect(503);
      expect(response.body).toMatchObject({ statusCode: 503, reason: 'role_unavailable' });
      expect(response.text).not.toContain('ACL database unreachable');
    }
  });

  it('38: no entity user on the request: 401; an id that is not a UUID: 401 unknown_entity_user', async () => {
    const response = await http().get('/payables').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, reason: 'no_user' });
    const forged = await http().get('/payables').set(as('alice')).expect(401);
    expect(forged.body).toMatchObject({ statusCode: 401, reason: 'unknown_entity_user' });
  });

  it('38: the partner caller (moniteAsPartner, or the deprecated empty id) gets no role from a function provider: 403', async () => {
    const asked = ROLE_LOOKUPS.length;
    for (const partner of [PARTNER_CALLER, DEPRECATED_PARTNER_CALLER]) {
      await http().get('/payables').set(as(partner)).expect(403);
      await http().get(`/payables/${PAYABLE_IDS.unowned}`).set(as(partner)).expect(403);
    }
    // getRole is only ever asked about entity users.
    expect(ROLE_LOOKUPS.length).toBe(asked);
  });

  it("39: x-monite-entity-id naming another entity than the caller's: 403; naming its own: passes", async () => {
    const other = await http()
      .get('/payables')
      .set(as(USERS.admin))
      .set('x-monite-entity-id', OTHER_ENTITY)
      .expect(403);
    expect(other.body).toMatchObject({ reason: 'entity_mismatch' });
    await http().get('/payables').set(as(USERS.admin)).set('x-monite-entity-id', ENTITY).expect(200);
    // The caller's entity comes from resolveEntityUser only.
    await http()
      .get('/payables')
      .set(as(USERS.admin, OTHER_ENTITY))
      .set('x-monite-entity-id', ENTITY)
      .expect(403);
  });

  it("39 + 44: the header as clients send it: any letter case passes; repeated, it passes only when every copy is the caller's", async () => {
    await http()
      .get('/payables')
      .set(as(USERS.admin))
      .set('x-monite-entity-id', ENTITY.toUpperCase())
      .expect(200);
    await http()
      .get('/payables')
      .set(as(USERS.admin))
      .set('x-monite-entity-id', twice(ENTITY, ENTITY.toUpperCase()))
      .expect(200);
    const smuggled = await http()
      .get('/payables')
      .set(as(USERS.admin))
      .set('x-monite-entity-id', twice(ENTITY, OTHER_ENTITY))
      .expect(403);
    expect(smuggled.body).toMatchObject({ reason: 'entity_mismatch' });
  });

  it('44: one identity, one spelling: an upper-case user id is the same user, its role looked up once', async () => {
    const upper = await http()
      .get(`/payables/${PAYABLE_IDS.ofB}`)
      .set(as(USERS.ownerB.toUpperCase(), ENTITY.toUpperCase()))
      .expect(200);
    expect(upper.body.access.user).toEqual({ entityUserId: USERS.ownerB, entityId: ENTITY });
    const afterUpper = lookups(USERS.ownerB);
    await http().get(`/payables/${PAYABLE_IDS.ofB}`).set(as(USERS.ownerB)).expect(200);
    // The lower-case spelling finds the role the upper-case one cached: one user, one cache entry.
    expect(lookups(USERS.ownerB)).toBe(afterUpper);
    expect(ROLE_LOOKUPS).not.toContain(USERS.ownerB.toUpperCase());
  });

  it('reports every decision to the audit hook: allow and deny, user, entity, permission, reason, handler', async () => {
    await http().get('/payables').set(as(USERS.admin)).expect(200);
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.denied)).expect(403);
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
        allowed: false,
        reason: 'no_user',
        entityUserId: undefined,
        objectType: 'payable',
      }),
    ]);
  });
});

describe.each(ADAPTERS)('guard with an asynchronous resolveEntityUser (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(adapter, partnerManagedApp({ resolveEntityUser: userFromHeadersAsync }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('decides the same way (33, 34, 38)', async () => {
    await request(app.getHttpServer()).get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    await request(app.getHttpServer()).get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerB)).expect(403);
    await request(app.getHttpServer())
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(USERS.reader))
      .expect(403);
    await request(app.getHttpServer()).get('/payables').expect(401);
  });
});
