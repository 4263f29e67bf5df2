/*
 * The documented controller (libs/monite-auth/docs/permissions.md, test/docs/permissions.examples.ts)
 * booted against the emulator on Express and Fastify: the examples do what the page says.
 */
import { Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DEMO_PAYABLES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { MoniteAuthModule, MonitePermissionGuard } from 'nestjs-monite-auth';
import request from 'supertest';
import { codeOf, readPage, squash, tsBlocksOf } from '../support/doc-blocks.js';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { emulatorGuardOptions, testUserHeaders } from '../guard/apps/fixtures.js';
import { moniteManagedOptions, PayablesController, reviewApprove } from './permissions.examples.js';

let emulator: MoniteEmulator;
beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

describe.each(ADAPTERS)('docs/permissions.md examples (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        MoniteAuthModule.forRoot({
          ...moniteManagedOptions,
          // The emulator's demo client and URL. The example reads req.user set by the app's
          // authentication; the tests name the user in headers.
          ...emulatorGuardOptions(emulator.url),
        }),
      ],
      controllers: [PayablesController],
      providers: [{ provide: APP_GUARD, useClass: MonitePermissionGuard }],
    })
    class DocsAppModule {}
    app = await startApp(adapter, DocsAppModule);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists with scope own, reads an own payable loaded once by the built-in resolver, denies approve', async () => {
    const list = await request(app.getHttpServer())
      .get('/payables')
      .set(testUserHeaders(DEMO_USERS.carol))
      .expect(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(
      list.body.every(
        (p: { was_created_by_user_id: string }) => p.was_created_by_user_id === DEMO_USERS.carol.id,
      ),
    ).toBe(true);

    const own = await request(app.getHttpServer())
      .get(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(testUserHeaders(DEMO_USERS.carol))
      .expect(200);
    expect(own.body).toMatchObject({
      id: DEMO_PAYABLES.carolNew.id,
      was_created_by_user_id: DEMO_USERS.carol.id,
    });
    await request(app.getHttpServer())
      .get(`/payables/${DEMO_PAYABLES.frankNew.id}`)
      .set(testUserHeaders(DEMO_USERS.carol))
      .expect(403);

    const denied = await request(app.getHttpServer())
      .post(`/payables/${DEMO_PAYABLES.carolNew.id}/approve`)
      .set(testUserHeaders(DEMO_USERS.carol))
      .expect(403);
    expect(denied.body).toMatchObject({ permission: 'payable.approve' });
    await request(app.getHttpServer()).get('/payables/health').expect(200, { ok: true });
  });
});

describe('docs/permissions.md', () => {
  it('the access review example decides as the table says', () => {
    const roleWith = (permission: string, status = 'active') => ({
      status,
      permissions: {
        objects: [{ object_type: 'payable', actions: [{ action_name: 'approve', permission }] }],
      },
    });
    expect(reviewApprove(roleWith('allowed'))).toMatchObject({ outcome: 'allow', scope: 'all' });
    expect(reviewApprove(roleWith('allowed_for_own'))).toMatchObject({ outcome: 'allow', scope: 'own' });
    expect(reviewApprove(roleWith('allowed_for_team'))).toMatchObject({
      outcome: 'deny',
      reason: 'not_allowed',
    });
    expect(reviewApprove(roleWith('allowed', 'deleted'))).toMatchObject({
      outcome: 'deny',
      reason: 'role_inactive',
    });
  });

  it('shows only code that is in permissions.examples.ts (imports aside), so the page shows what runs', async () => {
    const blocks = tsBlocksOf(await readPage('libs/monite-auth/docs/permissions.md'));
    const examples = squash(await readPage('test/docs/permissions.examples.ts'));
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(blocks.filter((block) => !examples.includes(codeOf(block)))).toEqual([]);
  });
});
