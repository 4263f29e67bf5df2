/*
 * Who may log in by entity user id (there is no password): on the embedded emulator, yes; with
 * real credentials (an emulator standing in for Monite's sandbox), only when DEMO_ALLOW_ID_LOGIN
 * is true. A refused login asks Monite nothing. Express and Fastify.
 */
import { DEMO_USERS } from 'monite-emulator';
import { startBanner } from '../../src/tour.js';
import { ADAPTERS, setCookies, startDemo, type RunningDemo } from './demo-test-kit.js';

const carolById = { entityUserId: DEMO_USERS.carol.id, entityId: DEMO_USERS.carol.entityId };

/** What `npm start` prints with real credentials. */
const banner = (allowIdLogin: boolean) =>
  startBanner({
    baseUrl: 'http://127.0.0.1:3000',
    moniteUrl: 'Monite sandbox',
    securityModel: 'monite-managed',
    allowIdLogin,
  });

it('with real credentials the start banner says login is off, or warns that DEMO_ALLOW_ID_LOGIN is unsafe', () => {
  expect(banner(false)).toMatch(/Login is off.*\n.*DEMO_ALLOW_ID_LOGIN=true \(unsafe/);
  expect(banner(false)).not.toContain('curl');
  expect(banner(true)).toMatch(
    /DEMO_ALLOW_ID_LOGIN=true: anyone who reaches this demo can act as any entity user/,
  );
  expect(banner(true)).toContain('"entityUserId":"<uuid>"');
});

describe.each(ADAPTERS)('login by entity user id (%s)', (adapter) => {
  describe('on the embedded emulator', () => {
    let demo: RunningDemo;
    beforeAll(async () => {
      demo = await startDemo(adapter);
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('is allowed, and checked with Monite', async () => {
      const { body } = await demo.http().post('/auth/login').send(carolById).expect(200);
      expect(body.user).toMatchObject({ entityUserId: DEMO_USERS.carol.id });
      expect(demo.emulator.count('GET /v1/entity_users/:id')).toBe(1);
    });
  });

  describe('with real credentials and DEMO_ALLOW_ID_LOGIN unset', () => {
    let demo: RunningDemo;
    beforeAll(async () => {
      demo = await startDemo(adapter, {}, 'credentials');
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('refuses any login with a clear 403, sets no cookie, and asks Monite nothing', async () => {
      for (const body of [carolById, { user: 'carol' }]) {
        const response = await demo.http().post('/auth/login').send(body).expect(403);
        expect(response.body.message).toMatch(/Login is off with real Monite credentials/);
        expect(response.body.message).toMatch(/authenticates its own users/);
        expect(response.body.message).toMatch(/DEMO_ALLOW_ID_LOGIN=true \(unsafe\)/);
        expect(response.body).not.toHaveProperty('token');
        expect(setCookies(response)).toEqual([]);
      }
      expect(demo.emulator.count()).toBe(0);
    });

    it('GET / says how logging in works here', async () => {
      const { body } = await demo.http().get('/').expect(200);
      expect(body).toMatchObject({ monite: 'Monite', demoUsers: [] });
      expect(body.login).toMatch(/off.*DEMO_ALLOW_ID_LOGIN/);
    });
  });

  describe('with real credentials and DEMO_ALLOW_ID_LOGIN=true', () => {
    let demo: RunningDemo;
    beforeAll(async () => {
      demo = await startDemo(adapter, { DEMO_ALLOW_ID_LOGIN: 'true' }, 'credentials');
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('logs an entity user in by id once Monite confirms it; an unknown or foreign one is 401', async () => {
      const login = await demo.http().post('/auth/login').send(carolById).expect(200);
      await demo
        .http()
        .get('/payables')
        .set('authorization', `Bearer ${login.body.token as string}`)
        .expect(200);
      await demo
        .http()
        .post('/auth/login')
        .send({ entityUserId: DEMO_USERS.grace.id, entityId: DEMO_USERS.carol.entityId })
        .expect(401);
      const byName = await demo.http().post('/auth/login').send({ user: 'carol' }).expect(400);
      expect(byName.body.message).toMatch(/log in with entityUserId and entityId/);
    });
  });
});
