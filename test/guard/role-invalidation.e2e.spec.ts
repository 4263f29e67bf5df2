/*
 * Invalidations reach the guard's role cache in this process at once, through the real module:
 * the token service (revocation, and `invalidateEntityUser` / `invalidateEntity`) and shared stores
 * deliver them on `MoniteInvalidations`; the role cache listens. Against the emulator, on Express
 * and Fastify; each role fetch is a `GET /v1/entity_users/my_role` the emulator counts.
 */
import type { INestApplication } from '@nestjs/common';
import { DEMO_ENTITIES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { MoniteInvalidations } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { createEntityUser } from './apps/emulator-users.js';
import { testUserHeaders } from './apps/fixtures.js';
import { moniteManagedApp } from './apps/monite-managed.app.js';

const MY_ROLE = 'GET /v1/entity_users/my_role';

let emulator: MoniteEmulator;
beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

describe.each(ADAPTERS)('the role cache listens to invalidations (%s)', (adapter) => {
  let app: INestApplication;
  let invalidations: MoniteInvalidations;
  /** Role fetches the requests of `users` cause, one request each. */
  let fetchesFor: (...users: { id: string; entityId: string }[]) => Promise<number>;

  beforeAll(async () => {
    // The default role TTL (60 s): nothing here expires by itself.
    app = await startApp(adapter, moniteManagedApp(emulator.url));
    invalidations = app.get(MoniteInvalidations);
    fetchesFor = async (...users) => {
      const before = emulator.count(MY_ROLE);
      for (const user of users)
        await request(app.getHttpServer()).get('/payables').set(testUserHeaders(user)).expect(200);
      return emulator.count(MY_ROLE) - before;
    };
  });
  afterAll(async () => {
    await app.close();
  });

  const { alice, bob, grace } = DEMO_USERS;

  it('44: an entity user invalidation, in any spelling, drops that user only', async () => {
    const casey = {
      id: await createEntityUser(emulator.url, alice.entityId, `casey.${adapter}`),
      entityId: alice.entityId,
    };
    await fetchesFor(casey, bob, grace);
    expect(await fetchesFor(casey, bob, grace)).toBe(0);
    invalidations.deliver({ kind: 'entity_user', entityUserId: casey.id.toUpperCase() });
    expect(await fetchesFor(casey, bob, grace)).toBe(1);
  });

  it('an entity invalidation drops every role of that entity, and only those', async () => {
    await fetchesFor(alice, bob, grace);
    expect(alice.entityId).toBe(DEMO_ENTITIES.acme.id);
    expect(grace.entityId).toBe(DEMO_ENTITIES.globex.id);
    invalidations.deliver({ kind: 'entity', entityId: DEMO_ENTITIES.acme.id.toUpperCase() });
    expect(await fetchesFor(grace)).toBe(0);
    expect(await fetchesFor(alice, bob)).toBe(2);
  });

  it('"all" drops every role (a shared store that may have missed invalidations)', async () => {
    await fetchesFor(alice, grace);
    invalidations.deliver({ kind: 'all' });
    expect(await fetchesFor(alice, grace)).toBe(2);
  });
});
