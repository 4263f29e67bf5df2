/*
 * Configuration: validated at boot, errors name the variable and never its value; with
 * credentials the demo talks to the Monite they name (here an emulator standing in for the
 * sandbox); the partner-managed model; OpenAPI naming each route's permission.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parse } from 'dotenv';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import request from 'supertest';
import { DEMO_ENV_VARIABLES, DemoConfigError, parseDemoEnv } from '../../src/config/demo-env.js';
import { createDemoApp } from '../../src/create-demo-app.js';
import { ADAPTERS, startDemo, type RunningDemo } from './demo-test-kit.js';

const CANARY = 'canary-secret-0f6b2c1d-never-print-me';

function configError(env: Record<string, string>): DemoConfigError {
  try {
    parseDemoEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(DemoConfigError);
    const rendered = [(error as Error).message, JSON.stringify(error), inspect(error)].join('\n');
    expect(rendered).not.toContain(CANARY);
    return error as DemoConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('demo configuration', () => {
  it('no variables at all: the emulator, port 3000, monite-managed', () => {
    expect(parseDemoEnv({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      monite: undefined,
      apiVersion: '2024-05-25',
      securityModel: 'monite-managed',
      sessionSecret: undefined,
      sessionTtlSeconds: 28800,
      emulatorPort: 0,
      allowIdLogin: false,
      publicOrigin: undefined,
      allowedHosts: [],
      loginLimit: 10,
      loginWindowSeconds: 60,
    });
  });

  it('.env.example lists every variable, and copied as it is still runs the emulator', () => {
    const example = parse(readFileSync(join(process.cwd(), '.env.example'), 'utf8'));
    expect(Object.keys(example).toSorted()).toEqual([...DEMO_ENV_VARIABLES].toSorted());
    expect(parseDemoEnv(example)).toEqual(parseDemoEnv({}));
  });

  it('credentials select Monite, with the environment or a URL', () => {
    const settings = parseDemoEnv({
      MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
      MONITE_CLIENT_SECRET: CANARY,
      MONITE_ENVIRONMENT: 'eu',
      PORT: '8080',
    });
    expect(settings.monite).toMatchObject({ clientId: DEMO_CLIENT.clientId, environment: 'eu' });
    expect(settings.monite?.clientSecret).toBe(CANARY);
    // Readable, but not printed when the settings are logged.
    expect(JSON.stringify(settings)).not.toContain(CANARY);
    expect(inspect(settings, { depth: 5 })).not.toContain(CANARY);
    expect(settings.port).toBe(8080);
  });

  it('each bad variable is named, its value never quoted', () => {
    const error = configError({
      MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
      MONITE_CLIENT_SECRET: CANARY,
      MONITE_SECURITY_MODEL: CANARY,
      MONITE_API_VERSION: CANARY,
      MONITE_API_URL: CANARY,
      PORT: CANARY,
      DEMO_SESSION_SECRET: 'short',
    });
    for (const name of [
      'MONITE_SECURITY_MODEL must be monite-managed, partner-managed or hybrid',
      'MONITE_API_VERSION must be an API version date',
      'MONITE_API_URL must be an http(s) URL',
      'PORT must be a port number',
      'DEMO_SESSION_SECRET must be at least 32 characters',
    ]) {
      expect(error.message).toContain(name);
    }
  });

  it('a client id without its secret (or the reverse) names the missing one', () => {
    expect(configError({ MONITE_CLIENT_ID: DEMO_CLIENT.clientId }).message).toMatch(
      /MONITE_CLIENT_SECRET is required when MONITE_CLIENT_ID is set/,
    );
    expect(configError({ MONITE_CLIENT_SECRET: CANARY }).message).toMatch(
      /MONITE_CLIENT_ID is required when MONITE_CLIENT_SECRET is set/,
    );
  });

  it('the app refuses to boot on a bad variable, naming it', async () => {
    await expect(createDemoApp({ env: { MONITE_ENVIRONMENT: 'moon' }, logger: false })).rejects.toThrow(
      /MONITE_ENVIRONMENT must be sandbox, eu or na/,
    );
  });

  it("the library's own checks fail the boot too (an http URL that is not loopback)", async () => {
    const boot = createDemoApp({
      env: {
        MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
        MONITE_CLIENT_SECRET: CANARY,
        MONITE_API_URL: 'http://monite.example/v1',
      },
      logger: false,
    });
    await expect(boot).rejects.toThrow(/apiUrl/);
    await boot.catch((error: unknown) => expect(inspect(error)).not.toContain(CANARY));
  });
});

describe.each(ADAPTERS)('demo with credentials from the environment (%s)', (adapter) => {
  let emulator: MoniteEmulator;

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('talks to the configured Monite; with DEMO_ALLOW_ID_LOGIN users log in by entity user id, not by demo name', async () => {
    const app = await createDemoApp({
      adapter,
      logger: false,
      env: {
        MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
        MONITE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
        MONITE_API_URL: emulator.url,
        DEMO_ALLOW_ID_LOGIN: 'true',
      },
    });
    try {
      await app.listen(0, '127.0.0.1');
      const http = () => request(app.getHttpServer());
      const byName = await http().post('/auth/login').send({ user: 'carol' }).expect(400);
      expect(byName.body.message).toMatch(/log in with entityUserId and entityId/);
      const login = await http()
        .post('/auth/login')
        .send({ entityUserId: DEMO_USERS.carol.id, entityId: DEMO_USERS.carol.entityId })
        .expect(200);
      const carol = { authorization: `Bearer ${login.body.token as string}` };
      const { body } = await http().get('/payables').set(carol).expect(200);
      expect(body.data).toHaveLength(2);
      expect((await http().get('/').expect(200)).body).toMatchObject({ monite: 'Monite', demoUsers: [] });
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('demo in the partner-managed model (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { MONITE_SECURITY_MODEL: 'partner-managed' });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('35: the partner token sees the whole entity, so the demo filters an own-only list itself', async () => {
    const { body } = await demo
      .http()
      .get('/payables')
      .set(await demo.loginAs('carol'))
      .expect(200);
    const creators = new Set(
      (body.data as { was_created_by_user_id: string }[]).map((p) => p.was_created_by_user_id),
    );
    expect([...creators]).toEqual([DEMO_USERS.carol.id]);
    // No entity user token is ever minted in this model.
    expect(demo.emulator.requests('POST /v1/auth/token')).toHaveLength(1);
  });

  it('roles come from the role provider; allowed and denied as in the other models', async () => {
    await demo
      .http()
      .post(`/payables/${'00000000-0000-4000-8000-000000004003'}/approve`)
      .set(await demo.loginAs('carol'))
      .expect(403);
    const role = await demo
      .http()
      .get('/me/role')
      .set(await demo.loginAs('carol'))
      .expect(200);
    expect(role.body).toMatchObject({ name: 'AP clerk' });
    const me = await demo
      .http()
      .get('/me')
      .set(await demo.loginAs('bob'))
      .expect(200);
    expect(me.body).toMatchObject({ id: DEMO_USERS.bob.id });
  });

  it('an own-only create is refused: a partner-token call could not record the caller as creator', async () => {
    const carol = await demo.loginAs('carol');
    await demo.http().post('/payables').set(carol).send({ amount: 100, currency: 'EUR' }).expect(403);
    expect(demo.emulator.count('POST /v1/payables')).toBe(0);
  });

  it('logout ends the session but does not revoke the shared partner token', async () => {
    const bob = await demo.loginAs('bob');
    const { body } = await demo.http().post('/auth/logout').set(bob).expect(200);
    expect(body).toEqual({ loggedOut: true, moniteTokenRevoked: false });
    expect(demo.emulator.count('POST /v1/auth/revoke')).toBe(0);
  });
});

describe.each(ADAPTERS)('demo in the hybrid model (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { MONITE_SECURITY_MODEL: 'hybrid' });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it("roles from the role provider, calls with the user's token: a new payable is the user's", async () => {
    const carol = await demo.loginAs('carol');
    const { body } = await demo
      .http()
      .post('/payables')
      .set(carol)
      .send({ amount: 700, currency: 'EUR' })
      .expect(201);
    expect(body).toMatchObject({ was_created_by_user_id: DEMO_USERS.carol.id });
    await demo
      .http()
      .post(`/payables/${body.id as string}/approve`)
      .set(carol)
      .expect(403);
    await demo
      .http()
      .post(`/payables/${body.id as string}/approve`)
      .set(await demo.loginAs('bob'))
      .expect(200);
    // The guard never asked Monite for the role (my_role): the role provider answered.
    expect(demo.emulator.count('GET /v1/entity_users/my_role')).toBe(0);
    expect(demo.emulator.count('GET /v1/roles/:id')).toBeGreaterThan(0);
  });
});

describe.each(ADAPTERS)('OpenAPI document (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('names the Monite permission of every guarded operation', async () => {
    const { body } = await demo.http().get('/docs-json').expect(200);
    const permissions: Record<string, string> = {};
    for (const [path, operations] of Object.entries(
      body.paths as Record<string, Record<string, Record<string, unknown>>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const permission = operation['x-monite-permission'];
        if (typeof permission === 'string') {
          permissions[`${method.toUpperCase()} ${path}`] = permission;
          expect(operation.description).toContain(`Requires Monite permission \`${permission}\``);
        }
      }
    }
    expect(permissions).toEqual({
      'GET /payables': 'payable.read',
      'GET /payables/{id}': 'payable.read',
      'POST /payables': 'payable.create',
      'POST /payables/{id}/approve': 'payable.approve',
      'POST /payables/{id}/pay': 'payable.pay',
      'DELETE /payables/{id}': 'payable.delete',
      'GET /me': 'entity_user.read',
      'GET /me/role': 'role.read',
    });
  });

  if (adapter === 'express') {
    it('serves the Swagger UI at /docs', async () => {
      const page = await demo.http().get('/docs').redirects(1).expect(200);
      expect(page.text).toMatch(/swagger/i);
    });
  }
});
