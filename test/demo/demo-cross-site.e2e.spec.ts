/*
 * Cross-site request forgery against the session cookie, on Express and Fastify: a state change
 * made with the cookie from another origin, or as a form (what a cross-site HTML page can send
 * without a CORS preflight), is refused with 403 before anything runs; Monite is not asked
 * anything and nothing changes there. Bearer requests and curl-like clients are unaffected.
 * Checklist 52.
 */
import { DEMO_PAYABLES, DEMO_USERS } from 'monite-emulator';
import { ADAPTERS, cookieSessionOf, setCookies, startDemo, type RunningDemo } from './demo-test-kit.js';

const { carolNew, frankNew } = DEMO_PAYABLES;
const EVIL = 'https://evil.example';

describe.each(ADAPTERS)('52: cross-site requests with the session cookie (%s)', (adapter) => {
  let demo: RunningDemo;
  let ownOrigin: string;

  beforeAll(async () => {
    demo = await startDemo(adapter);
    ownOrigin = demo.baseUrl;
  });
  beforeEach(() => {
    demo.emulator.reset();
  });
  afterAll(async () => {
    await demo?.close();
  });

  const http = () => demo.http();

  /** Asserts a cross-site refusal: 403 with the reason, and not one request reached Monite. */
  async function expectRefused(
    send: () => PromiseLike<{ status: number; body: Record<string, unknown> }>,
    reason: 'cross_site_origin' | 'cross_site_body',
  ): Promise<void> {
    const calls = demo.emulator.count();
    const response = await send();
    expect([response.status, response.body.reason]).toEqual([403, reason]);
    expect(response.body.message).toMatch(/Authorization: Bearer/);
    expect(demo.emulator.count()).toBe(calls);
  }

  it('52: cookie-authenticated state change from a foreign Origin: 403, nothing changed', async () => {
    const bob = await cookieSessionOf(demo, 'bob');
    const carol = await cookieSessionOf(demo, 'carol');
    const approve = `/payables/${carolNew.id}/approve`;
    for (const origin of [
      EVIL,
      'null',
      '',
      // Another port of the same host is another origin (and the same site for the browser).
      `http://127.0.0.1:${Number(new URL(ownOrigin).port) + 1}`,
      ownOrigin.replace('http:', 'https:'),
      `http://localhost:${new URL(ownOrigin).port}.evil.example`,
      `${ownOrigin}@evil.example`,
    ]) {
      await expectRefused(() => http().post(approve).set(bob).set('origin', origin), 'cross_site_origin');
    }
    await expectRefused(
      () => http().post('/payables').set(carol).set('origin', EVIL).send({ amount: 100, currency: 'EUR' }),
      'cross_site_origin',
    );
    await expectRefused(
      () => http().delete(`/payables/${carolNew.id}`).set(carol).set('origin', EVIL),
      'cross_site_origin',
    );
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
    expect(demo.emulator.count('POST /v1/payables')).toBe(0);
  });

  it('52: without an Origin, a foreign Referer is refused the same way', async () => {
    const bob = await cookieSessionOf(demo, 'bob');
    for (const referer of [`${EVIL}/cats.html`, 'not a url', `${ownOrigin}.evil.example/`]) {
      await expectRefused(
        () => http().post(`/payables/${carolNew.id}/approve`).set(bob).set('referer', referer),
        'cross_site_origin',
      );
    }
    // An Origin decides over the Referer: a foreign Origin with our own Referer is still foreign.
    await expectRefused(
      () =>
        http()
          .post(`/payables/${carolNew.id}/approve`)
          .set(bob)
          .set('origin', EVIL)
          .set('referer', `${ownOrigin}/docs`),
      'cross_site_origin',
    );
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
  });

  it('52: cookie-authenticated state change as a form post (form, multipart, text/plain): 403, nothing changed', async () => {
    const carol = await cookieSessionOf(demo, 'carol');
    const bob = await cookieSessionOf(demo, 'bob');
    // No Origin at all (older browsers' form posts): the body type alone gives the form away.
    await expectRefused(
      () => http().post('/payables').set(carol).type('form').send('amount=100&currency=EUR'),
      'cross_site_body',
    );
    await expectRefused(
      () => http().post('/payables').set(carol).field('amount', '100').field('currency', 'EUR'),
      'cross_site_body',
    );
    // The classic trick: JSON text in a text/plain form (enctype="text/plain").
    await expectRefused(
      () =>
        http()
          .post('/payables')
          .set(carol)
          .set('content-type', 'text/plain')
          .send('{"amount":100,"currency":"EUR"}'),
      'cross_site_body',
    );
    await expectRefused(
      () =>
        http()
          .post(`/payables/${carolNew.id}/approve`)
          .set(bob)
          .set('content-type', 'TEXT/PLAIN; charset=utf-8'),
      'cross_site_body',
    );
    // From our own page a form body is refused too: the demo's changes take JSON or nothing.
    await expectRefused(
      () => http().post('/payables').set(carol).set('origin', ownOrigin).type('form').send('amount=1'),
      'cross_site_body',
    );
    expect(demo.emulator.count('POST /v1/payables')).toBe(0);
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
  });

  it('52: logging out or in from another site is refused too: the session lives on, no cookie is set', async () => {
    const carol = await cookieSessionOf(demo, 'carol');
    await expectRefused(
      () => http().post('/auth/logout').set(carol).set('origin', EVIL),
      'cross_site_origin',
    );
    await http().get('/payables').set(carol).expect(200);
    // Login forgery: a foreign page logging the browser in as the attacker's user.
    const forged = await http().post('/auth/login').set('origin', EVIL).send({ user: 'alice' });
    expect([forged.status, forged.body.reason]).toEqual([403, 'cross_site_origin']);
    expect(setCookies(forged)).toEqual([]);
    const asForm = await http().post('/auth/login').type('form').send('user=alice');
    expect([asForm.status, asForm.body.reason]).toEqual([403, 'cross_site_body']);
    expect(setCookies(asForm)).toEqual([]);
  });

  it("the demo's own pages and curl-like clients (no Origin, JSON or no body) keep working", async () => {
    const bob = await cookieSessionOf(demo, 'bob');
    await http().post(`/payables/${carolNew.id}/approve`).set(bob).set('origin', ownOrigin).expect(200);
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'waiting_to_be_paid' });
    await http()
      .post(`/payables/${frankNew.id}/approve`)
      .set(bob)
      .set('referer', `${ownOrigin}/docs`)
      .expect(200);
    const carol = await cookieSessionOf(demo, 'carol');
    const created = await http()
      .post('/payables')
      .set(carol)
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ amount: 100, currency: 'EUR' }))
      .expect(201);
    expect(created.body).toMatchObject({ was_created_by_user_id: DEMO_USERS.carol.id });
    await http()
      .delete(`/payables/${created.body.id as string}`)
      .set(carol)
      .expect(204);
    // Reading is never refused: a cross-site page cannot read the answer anyway.
    await http().get('/payables').set(carol).set('origin', EVIL).expect(200);
  });

  it('requests authenticated by Authorization: Bearer are not subject to it', async () => {
    const bob = await demo.loginAs('bob');
    const carol = await demo.loginAs('carol');
    await http()
      .post(`/payables/${carolNew.id}/approve`)
      .set(bob)
      .set('origin', EVIL)
      .set('referer', `${EVIL}/x`)
      .expect(200);
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'waiting_to_be_paid' });
    const response = await http().post('/auth/logout').set(carol).set('origin', EVIL);
    expect(response.status).toBe(200);
    // A Bearer header makes the session ignore the cookie: a forged one gets nothing from it.
    const { cookie } = await cookieSessionOf(demo, 'alice');
    await http()
      .delete(`/payables/${frankNew.id}`)
      .set('cookie', cookie)
      .set('authorization', 'Bearer forged.token')
      .set('origin', EVIL)
      .expect(401);
    expect(demo.emulator.getPayable(frankNew.id)).toBeDefined();
  });
});
