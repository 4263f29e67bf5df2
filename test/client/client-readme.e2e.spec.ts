/*
 * The MoniteClient examples (client-readme.examples.ts) booted against the emulator on Express and
 * Fastify: they do what the README and docs/client.md say.
 */
import { Module, type INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import {
  DEMO_CLIENT,
  DEMO_ENTITIES,
  DEMO_PAYABLES,
  DEMO_USERS,
  startMoniteEmulator,
  type MoniteEmulator,
} from 'monite-emulator';
import { MoniteAuthModule, MoniteClient } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { listWithinFiveSeconds, PartnerJobs, PayablesController } from './client-readme.examples.js';
import { SessionUser, sessionUserHeaders } from './client-test-kit.js';

const carol = DEMO_USERS.carol;

let emulator: MoniteEmulator;
beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

describe.each(ADAPTERS)('README MoniteClient examples (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: DEMO_CLIENT.clientId,
          clientSecret: DEMO_CLIENT.clientSecret,
          apiUrl: emulator.url,
        }),
      ],
      controllers: [PayablesController],
      providers: [PartnerJobs, { provide: APP_INTERCEPTOR, useClass: SessionUser }],
    })
    class ReadmeAppModule {}
    app = await startApp(adapter, ReadmeAppModule);
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    await app.close();
  });

  it("lists, reads (path template), creates and is refused an approval with the user's own token", async () => {
    const server = app.getHttpServer();
    const list = await request(server).get('/payables').set(sessionUserHeaders(carol)).expect(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    const one = await request(server)
      .get(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(sessionUserHeaders(carol))
      .expect(200);
    expect(one.body.id).toBe(DEMO_PAYABLES.carolNew.id);
    const created = await request(server)
      .post('/payables')
      .set(sessionUserHeaders(carol))
      .send({ amount: 5, currency: 'EUR' });
    expect(created.status).toBe(201);
    expect(created.body.was_created_by_user_id).toBe(carol.id);
    // Carol's role may not approve: Monite says 403, and so does the app.
    await request(server)
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(sessionUserHeaders(carol))
      .expect(403);
    expect(emulator.requests('GET /v1/payables/:id')[0]?.path).toBe(
      `/v1/payables/${DEMO_PAYABLES.carolNew.id}`,
    );
  });

  it('43: a route parameter that is not an id never reaches Monite', async () => {
    for (const id of ['..%2Froles', '%2e%2e', '..%5Croles']) {
      await request(app.getHttpServer()).get(`/payables/${id}`).set(sessionUserHeaders(carol)).expect(400);
    }
    expect(emulator.count('GET /v1/payables/:id')).toBe(0);
    expect(emulator.count('GET /v1/roles')).toBe(0);
  });

  it('partner jobs use the partner token on the entity they name', async () => {
    const jobs = app.get(PartnerJobs);
    const page = (await jobs.newPayables(DEMO_ENTITIES.acme.id)) as {
      data: { was_created_by_user_id: string }[];
    };
    expect(page.data.some((p) => p.was_created_by_user_id !== carol.id)).toBe(true);
    const user = (await jobs.entityUser(DEMO_ENTITIES.acme.id, carol.id)) as { id: string };
    expect(user.id).toBe(carol.id);
    const requests = emulator.requests().filter((r) => r.route !== 'POST /v1/auth/token');
    expect(requests.map((r) => r.headers['x-monite-entity-id'])).toEqual([
      DEMO_ENTITIES.acme.id,
      DEMO_ENTITIES.acme.id,
    ]);
    expect(
      emulator.requests('POST /v1/auth/token').every((r) => !r.bodyFields.includes('entity_user_id')),
    ).toBe(true);
  });

  it('a call with a deadline and a size cap answers as any other', async () => {
    const page = (await listWithinFiveSeconds(app.get(MoniteClient), {
      entityUserId: carol.id,
      entityId: carol.entityId,
    })) as { data: unknown[] };
    expect(page.data.length).toBeGreaterThan(0);
  });
});
