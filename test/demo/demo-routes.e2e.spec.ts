/*
 * Every demo route, allowed and denied, on Express and Fastify, against the emulator's demo
 * seed: the guard decides from Monite's role before Monite is called, `allowed_for_own` is
 * applied to lists and checked on single payables. Checklist 33, 34, 35, 38.
 */
import { DEMO_PAYABLES, DEMO_USERS } from 'monite-emulator';
import { ADAPTERS, startDemo, type RunningDemo } from './demo-test-kit.js';

const { carolNew, carolApproved, frankNew, aliceDraft, partnerNew, heidiNew } = DEMO_PAYABLES;

interface Payable {
  id: string;
  status: string;
  was_created_by_user_id: string | null;
}

describe.each(ADAPTERS)('demo routes (%s)', (adapter) => {
  let demo: RunningDemo;
  let as: RunningDemo['loginAs'];

  beforeAll(async () => {
    demo = await startDemo(adapter);
    as = (user) => demo.loginAs(user);
  });
  beforeEach(() => {
    // Back to the seed; the demo's cached Monite tokens die with it and are fetched again.
    demo.emulator.reset();
  });
  afterAll(async () => {
    await demo?.close();
  });

  const http = () => demo.http();

  it('GET / is public and lists the demo users', async () => {
    const response = await http().get('/').expect(200);
    expect(response.body.demoUsers.map((u: { login: string }) => u.login)).toContain('carol');
  });

  it('38: without a session every guarded route is 401', async () => {
    for (const [method, path] of [
      ['get', '/payables'],
      ['get', `/payables/${carolNew.id}`],
      ['post', '/payables'],
      ['post', `/payables/${carolNew.id}/approve`],
      ['post', `/payables/${carolNew.id}/pay`],
      ['delete', `/payables/${carolNew.id}`],
      ['get', '/me'],
      ['get', '/me/role'],
    ] as const) {
      const response = await http()[method](path);
      expect([method, path, response.status]).toEqual([method, path, 401]);
    }
    await http().get('/payables').set('authorization', 'Bearer forged.token').expect(401);
    expect(demo.emulator.count('GET /v1/payables')).toBe(0);
  });

  describe('GET /payables (payable.read)', () => {
    it('33: allowed: Alice (admin) sees every payable of Acme, none of Globex', async () => {
      const { body } = await http()
        .get('/payables')
        .set(await as('alice'))
        .expect(200);
      const ids = (body.data as Payable[]).map((p) => p.id);
      expect(ids).toEqual(expect.arrayContaining([carolNew.id, frankNew.id, partnerNew.id, aliceDraft.id]));
      expect(ids).not.toContain(heidiNew.id);
    });

    it('35: allowed_for_own: Carol sees only the payables she created', async () => {
      const { body } = await http()
        .get('/payables')
        .set(await as('carol'))
        .expect(200);
      const ids = (body.data as Payable[]).map((p) => p.id).toSorted();
      expect(ids).toEqual([carolNew.id, carolApproved.id].toSorted());
    });

    it('33: denied: Nora (no role) gets 403 naming payable.read', async () => {
      const response = await http()
        .get('/payables')
        .set(await as('nora'))
        .expect(403);
      expect(response.body).toMatchObject({ permission: 'payable.read', reason: 'not_allowed' });
      expect(demo.emulator.count('GET /v1/payables')).toBe(0);
    });

    it('passes the status filter to Monite', async () => {
      const { body } = await http()
        .get('/payables?status=paid&limit=10')
        .set(await as('erin'))
        .expect(200);
      expect((body.data as Payable[]).map((p) => p.status)).toEqual(['paid']);
    });
  });

  describe('GET /payables/:id (payable.read, owner checked)', () => {
    it("33: allowed: Erin (auditor) reads Frank's payable", async () => {
      const { body } = await http()
        .get(`/payables/${frankNew.id}`)
        .set(await as('erin'))
        .expect(200);
      expect(body).toMatchObject({ id: frankNew.id, was_created_by_user_id: DEMO_USERS.frank.id });
    });

    it("34: allowed_for_own: Frank reads his own payable, not Carol's, not the partner's", async () => {
      const frank = await as('frank');
      await http().get(`/payables/${frankNew.id}`).set(frank).expect(200);
      const other = await http().get(`/payables/${carolNew.id}`).set(frank).expect(403);
      expect(other.body).toMatchObject({ reason: 'not_owner', permission: 'payable.read' });
      const unowned = await http().get(`/payables/${partnerNew.id}`).set(frank).expect(403);
      // Unknown owner and another's owner read alike: no probing which ids exist.
      expect(unowned.body).toMatchObject({ reason: 'not_owner' });
    });

    it('denied: Nora gets 403', async () => {
      await http()
        .get(`/payables/${frankNew.id}`)
        .set(await as('nora'))
        .expect(403);
    });

    it("39: another entity's payable is not found for Alice, and 403 for an own-only user", async () => {
      await http()
        .get(`/payables/${heidiNew.id}`)
        .set(await as('alice'))
        .expect(404);
      await http()
        .get(`/payables/${heidiNew.id}`)
        .set(await as('carol'))
        .expect(403);
    });
  });

  describe('POST /payables (payable.create)', () => {
    it('35: allowed_for_own: Carol enters a payable, which is hers', async () => {
      const { body } = await http()
        .post('/payables')
        .set(await as('carol'))
        .send({ amount: 4200, currency: 'EUR', description: 'Printer paper' })
        .expect(201);
      expect(body).toMatchObject({
        amount: 4200,
        status: 'new',
        was_created_by_user_id: DEMO_USERS.carol.id,
      });
      expect(demo.emulator.getPayable(body.id)).toBeDefined();
    });

    it('36: denied: Erin (read-only auditor) gets 403 and Monite is not called', async () => {
      const response = await http()
        .post('/payables')
        .set(await as('erin'))
        .send({ amount: 4200, currency: 'EUR' })
        .expect(403);
      expect(response.body).toMatchObject({ permission: 'payable.create' });
      expect(demo.emulator.count('POST /v1/payables')).toBe(0);
    });
  });

  describe('POST /payables/:id/approve (payable.approve)', () => {
    it("allowed: Bob (approver) approves Carol's new payable", async () => {
      const { body } = await http()
        .post(`/payables/${carolNew.id}/approve`)
        .set(await as('bob'))
        .expect(200);
      expect(body).toMatchObject({ id: carolNew.id, status: 'waiting_to_be_paid' });
    });

    it('33: denied: Carol (AP clerk, not_allowed) gets 403 and the payable stays new', async () => {
      const response = await http()
        .post(`/payables/${carolNew.id}/approve`)
        .set(await as('carol'))
        .expect(403);
      expect(response.body).toMatchObject({ permission: 'payable.approve', reason: 'not_allowed' });
      expect(demo.emulator.count('POST /v1/payables/:id/approve')).toBe(0);
      expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
    });

    it("Monite's own refusal comes through: approving twice is a 409 with Monite's message", async () => {
      const bob = await as('bob');
      await http().post(`/payables/${carolNew.id}/approve`).set(bob).expect(200);
      const again = await http().post(`/payables/${carolNew.id}/approve`).set(bob).expect(409);
      expect(again.body.message).toMatch(/cannot be approved/);
    });
  });

  describe('POST /payables/:id/pay (payable.pay)', () => {
    it("allowed: Dave (treasurer) pays Carol's approved payable", async () => {
      const { body } = await http()
        .post(`/payables/${carolApproved.id}/pay`)
        .set(await as('dave'))
        .expect(200);
      expect(body).toMatchObject({ id: carolApproved.id, status: 'paid' });
    });

    it('denied: Bob (approver) may not pay', async () => {
      const response = await http()
        .post(`/payables/${carolApproved.id}/pay`)
        .set(await as('bob'))
        .expect(403);
      expect(response.body).toMatchObject({ permission: 'payable.pay' });
      expect(demo.emulator.getPayable(carolApproved.id)).toMatchObject({ status: 'waiting_to_be_paid' });
    });
  });

  describe('DELETE /payables/:id (payable.delete, owner checked)', () => {
    it("allowed: Alice deletes her draft; 34: Carol deletes her own payable, not Frank's", async () => {
      await http()
        .delete(`/payables/${aliceDraft.id}`)
        .set(await as('alice'))
        .expect(204);
      expect(demo.emulator.getPayable(aliceDraft.id)).toBeUndefined();
      const carol = await as('carol');
      await http().delete(`/payables/${carolNew.id}`).set(carol).expect(204);
      expect(demo.emulator.getPayable(carolNew.id)).toBeUndefined();
      await http().delete(`/payables/${frankNew.id}`).set(carol).expect(403);
      expect(demo.emulator.getPayable(frankNew.id)).toBeDefined();
    });

    it('36: denied: Erin (read-only) gets 403 and nothing is deleted', async () => {
      await http()
        .delete(`/payables/${frankNew.id}`)
        .set(await as('erin'))
        .expect(403);
      expect(demo.emulator.count('DELETE /v1/payables/:id')).toBe(0);
      expect(demo.emulator.getPayable(frankNew.id)).toBeDefined();
    });
  });

  describe('GET /me (entity_user.read) and GET /me/role (role.read)', () => {
    it('allowed: Carol sees herself and her role (allowed_for_own: her own)', async () => {
      const carol = await as('carol');
      const me = await http().get('/me').set(carol).expect(200);
      expect(me.body).toMatchObject({ id: DEMO_USERS.carol.id, login: 'carol' });
      const role = await http().get('/me/role').set(carol).expect(200);
      expect(role.body).toMatchObject({ name: 'AP clerk' });
    });

    it('denied: Frank may not read entity users, Dave may not read roles', async () => {
      const me = await http()
        .get('/me')
        .set(await as('frank'))
        .expect(403);
      expect(me.body).toMatchObject({ permission: 'entity_user.read' });
      const role = await http()
        .get('/me/role')
        .set(await as('dave'))
        .expect(403);
      expect(role.body).toMatchObject({ permission: 'role.read' });
    });
  });

  describe('POST /auth/login and /auth/logout', () => {
    it('an unknown demo user is 401; logging out without a session is 401', async () => {
      await http().post('/auth/login').send({ user: 'mallory' }).expect(401);
      await http().post('/auth/logout').expect(401);
    });

    it('login by entity user id is checked with Monite', async () => {
      const ok = await http()
        .post('/auth/login')
        .send({ entityUserId: DEMO_USERS.erin.id, entityId: DEMO_USERS.erin.entityId })
        .expect(200);
      expect(ok.body.user).toMatchObject({ entityUserId: DEMO_USERS.erin.id });
      // Grace exists, but in Globex: not a user of Acme.
      await http()
        .post('/auth/login')
        .send({ entityUserId: DEMO_USERS.grace.id, entityId: DEMO_USERS.erin.entityId })
        .expect(401);
    });

    it('the session cookie works like the Bearer token', async () => {
      const login = await http().post('/auth/login').send({ user: 'frank' }).expect(200);
      const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
      expect(setCookie.join()).toMatch(/demo_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      const cookie = setCookie[0].split(';')[0];
      const { body } = await http().get('/payables').set('cookie', cookie).expect(200);
      expect((body.data as Payable[]).map((p) => p.id)).toEqual([frankNew.id]);
    });
  });
});
