/*
 * POST /auth/login is throttled per client address: past DEMO_LOGIN_LIMIT tries in the window,
 * 429 with Retry-After, and the try costs Monite nothing (a login by id otherwise asks Monite,
 * against the partner's rate limit). Another address keeps its own count. Express and Fastify.
 */
import { request as httpRequest } from 'node:http';
import { DEMO_USERS } from 'monite-emulator';
import { ADAPTERS, startDemo, type RunningDemo } from './demo-test-kit.js';

const LIMIT = 3;
const carolById = { entityUserId: DEMO_USERS.carol.id, entityId: DEMO_USERS.carol.entityId };

/** A login sent from another loopback address (127.0.0.2 is this machine too, but another client). */
function loginFrom(localAddress: string, baseUrl: string, body: object): Promise<number> {
  const url = new URL('/auth/login', baseUrl);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on('error', reject);
    sent.end(JSON.stringify(body));
  });
}

describe.each(ADAPTERS)('login throttling (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeEach(async () => {
    demo = await startDemo(adapter, { DEMO_LOGIN_LIMIT: String(LIMIT), DEMO_LOGIN_WINDOW_SECONDS: '60' });
  });
  afterEach(async () => {
    await demo?.close();
  });

  const login = (body: object) => demo.http().post('/auth/login').send(body);

  it('past the limit: 429 with Retry-After, and Monite is not called for the refused tries', async () => {
    for (let i = 0; i < LIMIT; i++) await login(carolById).expect(200);
    expect(demo.emulator.count('GET /v1/entity_users/:id')).toBe(LIMIT);
    const moniteCalls = demo.emulator.count();

    for (const body of [carolById, { user: 'carol' }, { not: 'even valid' }]) {
      const refused = await login(body).expect(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(refused.body).toMatchObject({ statusCode: 429, message: expect.stringMatching(/Retry-After/) });
      expect(refused.body).not.toHaveProperty('token');
    }
    expect(demo.emulator.count()).toBe(moniteCalls);
  });

  it('counts per client address: another client still logs in', async () => {
    for (let i = 0; i < LIMIT; i++) await login({ user: 'bob' }).expect(200);
    await login({ user: 'bob' }).expect(429);
    expect(await loginFrom('127.0.0.2', demo.baseUrl, { user: 'bob' })).toBe(200);
  });

  it('throttles only the login: other routes of the same client go on', async () => {
    for (let i = 0; i <= LIMIT; i++) await login({ user: 'alice' });
    await login({ user: 'alice' }).expect(429);
    await demo.http().get('/').expect(200);
  });
});

describe.each(ADAPTERS)('login throttling window (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { DEMO_LOGIN_LIMIT: '1', DEMO_LOGIN_WINDOW_SECONDS: '1' });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('a new window lets the client try again', async () => {
    await demo.http().post('/auth/login').send({ user: 'dave' }).expect(200);
    const refused = await demo.http().post('/auth/login').send({ user: 'dave' }).expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await demo.http().post('/auth/login').send({ user: 'dave' }).expect(200);
  });
});
