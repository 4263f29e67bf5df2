/*
 * DNS rebinding: a request whose Host is not one of the demo's own names is refused before any
 * route (docs included), with a clear 403. The session cookie is Secure whenever the demo does not
 * listen on loopback only. Express and Fastify.
 */
import { DEMO_PAYABLES } from 'monite-emulator';
import { ADAPTERS, cookieSessionOf, setCookies, startDemo, type RunningDemo } from './demo-test-kit.js';

const { carolNew } = DEMO_PAYABLES;

describe.each(ADAPTERS)('Host check (%s)', (adapter) => {
  let demo: RunningDemo;
  let port: string;

  beforeAll(async () => {
    demo = await startDemo(adapter, { DEMO_ALLOWED_HOSTS: 'demo.lan, 192.168.1.20' });
    port = new URL(demo.baseUrl).port;
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('a rebinding page (its own name in Host) gets 403 on every route, the docs and unknown paths', async () => {
    const bob = await demo.loginAs('bob');
    const calls = demo.emulator.count();
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `0.0.0.0:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `demo.lan.evil.example:${port}`,
      `127.0.0.1:${port}@evil.example`,
      '',
    ]) {
      for (const path of ['/', '/docs-json', '/payables', '/no-such-route']) {
        const response = await demo.http().get(path).set(bob).set('host', host);
        expect([host, path, response.status, response.body.reason]).toEqual([
          host,
          path,
          403,
          'host_not_allowed',
        ]);
        expect(response.body.message).toMatch(/^Unknown Host: this demo answers only to its own host names/);
      }
    }
    const approve = await demo
      .http()
      .post(`/payables/${carolNew.id}/approve`)
      .set(bob)
      .set('host', `evil.example:${port}`);
    expect(approve.status).toBe(403);
    const login = await demo.http().post('/auth/login').set('host', 'evil.example').send({ user: 'alice' });
    expect([login.status, setCookies(login)]).toEqual([403, []]);
    expect(demo.emulator.count()).toBe(calls);
    expect(demo.emulator.getPayable(carolNew.id)).toMatchObject({ status: 'new' });
  });

  it('loopback names, in any letter case, and DEMO_ALLOWED_HOSTS are the demo’s own', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `[::1]:${port}`,
      'localhost',
      `demo.lan:${port}`,
      `DEMO.LAN:${port}`,
      `192.168.1.20:${port}`,
    ]) {
      const response = await demo.http().get('/').set('host', host);
      expect([host, response.status]).toEqual([host, 200]);
    }
  });
});

describe.each(ADAPTERS)('behind a proxy: DEMO_PUBLIC_ORIGIN (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { DEMO_PUBLIC_ORIGIN: 'https://ap.example.com' });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('its host is accepted, its pages may make changes with the cookie, and the cookie is Secure', async () => {
    const login = await demo.http().post('/auth/login').set('host', 'ap.example.com').send({ user: 'bob' });
    expect(login.status).toBe(200);
    expect(setCookies(login).join()).toMatch(/; Secure;/);
    const bob = await cookieSessionOf(demo, 'bob');
    await demo
      .http()
      .post(`/payables/${carolNew.id}/approve`)
      .set(bob)
      .set('host', 'ap.example.com')
      .set('origin', 'https://ap.example.com')
      .expect(200);
    // The same name over plain http is another origin.
    const plain = await demo
      .http()
      .post(`/payables/${carolNew.id}/approve`)
      .set(bob)
      .set('host', 'ap.example.com')
      .set('origin', 'http://ap.example.com');
    expect([plain.status, plain.body.reason]).toEqual([403, 'cross_site_origin']);
  });
});

describe.each(ADAPTERS)('Secure session cookie (%s)', (adapter) => {
  /** The cookie lines a login and a logout set, on a demo configured with `env`. */
  async function cookieLines(env: Record<string, string>): Promise<string[]> {
    const demo = await startDemo(adapter, env);
    try {
      const login = await demo.http().post('/auth/login').send({ user: 'carol' }).expect(200);
      const token = `Bearer ${login.body.token as string}`;
      const logout = await demo.http().post('/auth/logout').set('authorization', token).expect(200);
      return [...setCookies(login), ...setCookies(logout)];
    } finally {
      await demo.close();
    }
  }

  it.each([['127.0.0.1'], ['localhost'], ['::1'], ['127.0.0.2']])(
    'listening on loopback (HOST=%s): not Secure, so it works over http://127.0.0.1',
    async (host) => {
      const lines = await cookieLines({ HOST: host });
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).not.toMatch(/Secure/i);
    },
  );

  it.each([['0.0.0.0'], ['::'], ['192.168.1.20'], ['demo.lan']])(
    'listening off loopback (HOST=%s): Secure, on the session cookie and on its deletion',
    async (host) => {
      const lines = await cookieLines({ HOST: host });
      expect(lines).toHaveLength(2);
      for (const line of lines)
        expect(line).toMatch(/^demo_session=[^;]*; Path=\/; HttpOnly; SameSite=Lax; Secure;/);
    },
  );
});
