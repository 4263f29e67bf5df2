/*
 * Bad input is a 400 with a clear message and changes nothing; logout revokes the user's Monite
 * token (the emulator itself refuses it afterwards). Express and Fastify.
 */
import { DEMO_PAYABLES, DEMO_USERS } from 'monite-emulator';
import { MoniteTokenService } from 'nestjs-monite-auth';
import { ADAPTERS, startDemo, type RunningDemo } from './demo-test-kit.js';

const { carolNew, frankNew, aliceDraft } = DEMO_PAYABLES;

describe.each(ADAPTERS)('demo input validation and logout (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter);
  });
  beforeEach(() => {
    demo.emulator.reset();
  });
  afterAll(async () => {
    await demo?.close();
  });

  const http = () => demo.http();
  /** Every call to Monite's payables, to show a refused request never reached it. */
  const payableCalls = () =>
    demo.emulator
      .routes()
      .filter((route) => route.includes('/v1/payables'))
      .reduce((n, r) => n + demo.emulator.count(r), 0);

  describe('400 before Monite is called, nothing changed', () => {
    it('malformed ids', async () => {
      const alice = await demo.loginAs('alice');
      for (const [method, path] of [
        ['get', '/payables/not-a-uuid'],
        ['post', '/payables/123/approve'],
        ['post', '/payables/00000000-0000-4000-8000-00000000400Z/pay'],
        ['delete', '/payables/%27%20OR%201%3D1'],
      ] as const) {
        const response = await http()[method](path).set(alice);
        expect([path, response.status]).toEqual([path, 400]);
        expect(response.body.message).toMatch(/id.*must be a payable id \(a UUID\)/);
      }
      // An own-only user's owner check refuses the id too, before loading anything.
      const frank = await http()
        .get('/payables/not-a-uuid')
        .set(await demo.loginAs('frank'))
        .expect(400);
      expect(frank.body.message).toMatch(/UUID/);
      expect(payableCalls()).toBe(0);
    });

    it('a payable with an unknown field, or a wrong type, is refused whole', async () => {
      const carol = await demo.loginAs('carol');
      const unknown = await http()
        .post('/payables')
        .set(carol)
        .send({ amount: 100, currency: 'EUR', was_created_by_user_id: DEMO_USERS.alice.id })
        .expect(400);
      expect(unknown.body.message).toBe('Invalid request body: was_created_by_user_id: unknown field');
      const wrong = await http()
        .post('/payables')
        .set(carol)
        .send({ amount: '100', currency: 'euro' })
        .expect(400);
      expect(wrong.body.problems).toEqual([
        'amount: must be a number (minor units, e.g. cents)',
        'currency: must be a 3-letter currency code, e.g. EUR',
      ]);
      await http().post('/payables').set(carol).send({ amount: 1.5, currency: 'EUR' }).expect(400);
      await http().post('/payables').set(carol).send({}).expect(400);
      expect(demo.emulator.count('POST /v1/payables')).toBe(0);
      const { body } = await http().get('/payables').set(carol).expect(200);
      expect(body.data).toHaveLength(2);
    });

    it('approve and pay take no fields: a body with any is refused and the payable stays as it was', async () => {
      const bob = await demo.loginAs('bob');
      const response = await http()
        .post(`/payables/${carolNew.id}/approve`)
        .set(bob)
        .send({ status: 'paid' })
        .expect(400);
      expect(response.body.message).toBe('Invalid request body: status: unknown field');
      await http()
        .post(`/payables/${carolNew.id}/pay`)
        .set(await demo.loginAs('dave'))
        .send({ amount: 1 })
        .expect(400);
      expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
      expect(demo.emulator.count('POST /v1/payables/:id/approve')).toBe(0);
    });

    it('list query parameters are checked', async () => {
      const erin = await demo.loginAs('erin');
      const status = await http().get('/payables?status=bogus').set(erin).expect(400);
      expect(status.body.message).toMatch(/^Invalid request query: status: must be one of draft, new/);
      const unknown = await http().get('/payables?owner=me').set(erin).expect(400);
      expect(unknown.body.message).toBe('Invalid request query: owner: unknown field');
      await http().get('/payables?limit=0').set(erin).expect(400);
      expect(demo.emulator.count('GET /v1/payables')).toBe(0);
    });

    it('login bodies are checked too', async () => {
      await http().post('/auth/login').send({ user: 'carol', admin: true }).expect(400);
      await http().post('/auth/login').send({ entityUserId: 'carol' }).expect(400);
      const both = await http()
        .post('/auth/login')
        .send({ user: 'carol', entityUserId: DEMO_USERS.alice.id, entityId: DEMO_USERS.alice.entityId })
        .expect(400);
      expect(both.body.message).toMatch(/either "user".*or both "entityUserId" and "entityId"/);
      expect(demo.emulator.count('POST /v1/auth/token')).toBe(0);
    });

    it('a delete refused for a malformed id deletes nothing', async () => {
      await http()
        .delete('/payables/drop-table')
        .set(await demo.loginAs('alice'))
        .expect(400);
      expect(demo.emulator.getPayable(aliceDraft.id)).toBeDefined();
      expect(demo.emulator.getPayable(frankNew.id)).toBeDefined();
    });
  });

  describe('logout', () => {
    it("28: revokes the user's Monite token: Monite refuses it afterwards, and the session ends", async () => {
      const carol = await demo.loginAs('carol');
      await http().get('/payables').set(carol).expect(200);
      // The token the demo holds for Carol (served from the cache: the one just used).
      const tokenRequests = demo.emulator.count('POST /v1/auth/token');
      const { accessToken } = await demo.app.get(MoniteTokenService).getEntityUserToken(DEMO_USERS.carol.id);
      expect(demo.emulator.count('POST /v1/auth/token')).toBe(tokenRequests);
      const askMonite = () =>
        fetch(`${demo.emulator.url}/entity_users/me`, {
          headers: { authorization: `Bearer ${accessToken}`, 'x-monite-version': '2024-05-25' },
        });
      expect((await askMonite()).status).toBe(200);

      const logout = await http().post('/auth/logout').set(carol).expect(200);
      expect(logout.body).toEqual({ loggedOut: true, moniteTokenRevoked: true });
      expect(demo.emulator.count('POST /v1/auth/revoke')).toBe(1);

      expect((await askMonite()).status).toBe(401);
      await http().get('/payables').set(carol).expect(401);
      await http().post('/auth/logout').set(carol).expect(401);

      // Logging in again works, with a new Monite token.
      const again = await demo.loginAs('carol');
      await http().get('/payables').set(again).expect(200);
      const fresh = await demo.app.get(MoniteTokenService).getEntityUserToken(DEMO_USERS.carol.id);
      expect(fresh.accessToken).not.toBe(accessToken);
    });

    it("ends only the caller's session token, not the user's other sessions", async () => {
      const first = await demo.loginAs('bob');
      const second = await demo.loginAs('bob');
      await http().post('/auth/logout').set(first).expect(200);
      await http().get('/payables').set(first).expect(401);
      await http().get('/payables').set(second).expect(200);
    });
  });
});
