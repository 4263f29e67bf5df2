/*
 * The guard as APP_GUARD, with a class role provider (hybrid model: roles from the partner's ACL
 * service) and a class owner resolver, on Express and Fastify. Checklist 32, 33, 34.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { PARTNER_CALLER, PAYABLE_IDS, ROLE_LOOKUPS, USERS } from './apps/fixtures.js';
import { PartnerAcl, globalGuardApp } from './apps/global-guard.app.js';

const as = (user: string) => ({ 'x-test-user': user });

describe.each(ADAPTERS)('guard as APP_GUARD with class providers (%s)', (adapter) => {
  let app: INestApplication;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp(adapter, globalGuardApp());
    http = () => request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  it('32: under a global guard, routes without metadata are 403 and @MonitePublic routes pass', async () => {
    await http().get('/payables/unguarded').set(as(USERS.admin)).expect(403);
    const reports = await http().get('/reports').set(as(USERS.admin)).expect(403);
    expect(reports.text).not.toContain('nobody should read this');
    await http().get('/payables/health').expect(200, { ok: true });
  });

  it("33: roles come from the class role provider (an injectable using the partner's ACL service)", async () => {
    const acl = app.get(PartnerAcl);
    const before = acl.lookups;
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.admin)).expect(201);
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.denied)).expect(403);
    await http().post(`/payables/${PAYABLE_IDS.ofA}/approve`).set(as(USERS.admin)).expect(201);
    // The admin's role was compiled once and served from the cache the second time.
    expect(acl.lookups - before).toBe(2);
  });

  it("34: a class owner resolver: own object 200, another user's 403, owner null 403", async () => {
    await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(USERS.ownerA)).expect(200);
    await http().get(`/payables/${PAYABLE_IDS.ofB}`).set(as(USERS.ownerA)).expect(403);
    await http().get(`/payables/${PAYABLE_IDS.unowned}`).set(as(USERS.ownerA)).expect(403);
    await http().post(`/payables/${PAYABLE_IDS.ofB}/approve`).set(as(USERS.ownerB)).expect(201);
  });

  it('38: no entity user: 401, also under the global guard', async () => {
    await http().get(`/payables/${PAYABLE_IDS.ofA}`).expect(401);
  });

  it("38: the partner caller gets the class provider's getPartnerRole, never getRole: allowed passes, allowed_for_own is a 403", async () => {
    const lookups = ROLE_LOOKUPS.length;
    // PARTNER_ROLE: payable.read allowed (the owner is not asked), payable.approve only on own objects.
    await http().get(`/payables/${PAYABLE_IDS.ofA}`).set(as(PARTNER_CALLER)).expect(200);
    const approve = await http()
      .post(`/payables/${PAYABLE_IDS.ofA}/approve`)
      .set(as(PARTNER_CALLER))
      .expect(403);
    expect(approve.body).toMatchObject({ reason: 'no_entity_user', permission: 'payable.approve' });
    expect(ROLE_LOOKUPS.length).toBe(lookups);
  });
});
