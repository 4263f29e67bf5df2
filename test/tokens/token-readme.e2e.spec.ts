/*
 * The README's examples booted against the emulator on Express and Fastify: configured the
 * documented ways, they get tokens, call Monite through MoniteClient, revoke on logout, invalidate
 * a user and answer errors over HTTP, as the README says. Each TypeScript block of the README (but
 * the MoniteClient section's, test/client's) is, as printed, a file of token-readme-examples/.
 */
import { readdir, readFile } from 'node:fs/promises';
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import {
  DEMO_CLIENT,
  DEMO_PAYABLES,
  DEMO_USERS,
  startMoniteEmulator,
  type MoniteEmulator,
} from 'monite-emulator';
import { MoniteAuthModule, MoniteTokenService } from 'nestjs-monite-auth';
import request from 'supertest';
import { PayablesController } from '../client/client-readme.examples.js';
import { SessionUser, sessionUserHeaders } from '../client/client-test-kit.js';
import { readPage, tsBlocksOf } from '../support/doc-blocks.js';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { AppModule as ErrorAnswersModule } from './token-readme-examples/error-answers.js';
import { AppModule as ConfigServiceAppModule } from './token-readme-examples/for-root-async.js';
import { moniteHooks } from './token-readme-examples/hooks.js';
import { PaymentsService } from './token-readme-examples/payments.service.js';
import { AppModule as RegisterAsAppModule } from './token-readme-examples/register-as.js';
import { SessionController } from './token-readme-examples/session.controller.js';
import { TeamService } from './token-readme-examples/team.service.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const REVOKE_ROUTE = 'POST /v1/auth/revoke';

const EXAMPLES = new URL('./token-readme-examples/', import.meta.url);

it("each TypeScript block of the README (but MoniteClient's) is a file of token-readme-examples/", async () => {
  const readme = await readPage('libs/monite-auth/README.md');
  const start = readme.indexOf('## MoniteClient\n');
  const end = readme.indexOf('\n## ', start + 1);
  const blocks = tsBlocksOf(readme.slice(0, start) + readme.slice(end));
  // An example file without its one-line header comment: the block.
  const files = await Promise.all(
    (await readdir(EXAMPLES))
      .filter((file) => file.endsWith('.ts'))
      .map(async (file) => (await readFile(new URL(file, EXAMPLES), 'utf8')).replace(/^\/\*.*\*\/\n\n/, '')),
  );
  expect(blocks.length).toBeGreaterThanOrEqual(8);
  expect(blocks.toSorted()).toEqual(files.toSorted());
});

describe.each(ADAPTERS)('README examples (%s)', (adapter) => {
  const carol = DEMO_USERS.carol;
  let emulator: MoniteEmulator;
  let app: INestApplication | undefined;
  const env = ['MONITE_CLIENT_ID', 'MONITE_CLIENT_SECRET', 'MONITE_API_URL'] as const;

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    // The README reads these from the environment.
    process.env.MONITE_CLIENT_ID = DEMO_CLIENT.clientId;
    process.env.MONITE_CLIENT_SECRET = DEMO_CLIENT.clientSecret;
    process.env.MONITE_API_URL = emulator.url;
  });
  afterAll(async () => {
    for (const name of env) delete process.env[name];
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('forRootAsync with ConfigService + MoniteClient: list and read payables as the user, then logout revokes', async () => {
    @Module({
      imports: [ConfigServiceAppModule],
      controllers: [PayablesController, SessionController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: SessionUser }],
    })
    class App {}
    app = await startApp(adapter, App);
    expect(emulator.count()).toBe(0);

    const list = await request(app.getHttpServer())
      .get('/payables')
      .set(sessionUserHeaders(carol))
      .expect(200);
    expect((list.body as { data: Array<{ id: string; status: string }> }).data).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: DEMO_PAYABLES.carolNew.id, status: 'new' })]),
    );
    await request(app.getHttpServer())
      .get(`/payables/${DEMO_PAYABLES.carolNew.id}`)
      .set(sessionUserHeaders(carol))
      .expect(200);
    await request(app.getHttpServer()).get('/payables/not-a-uuid').set(sessionUserHeaders(carol)).expect(400);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1); // carol's token, fetched once

    await request(app.getHttpServer()).post('/session/logout').set(sessionUserHeaders(carol)).expect(201);
    expect(emulator.count(REVOKE_ROUTE)).toBe(1);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1); // logout revoked the cached token, it fetched none

    // After logout the next call needs (and gets) a new token.
    await request(app.getHttpServer()).get('/payables').set(sessionUserHeaders(carol)).expect(200);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('forRootAsync(moniteConfig.asProvider()) + PaymentsService: partner and user tokens', async () => {
    app = await startApp(adapter, RegisterAsAppModule);
    // The README's module is not global: the service gets the token service as a module importing it would.
    const payments = new PaymentsService(app.get(MoniteTokenService));

    const { partner, user } = await payments.example(carol.id, carol.entityId);

    expect(partner.tokenType).toBe('Bearer');
    expect(user.accessToken).not.toBe(partner.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('the invalidation example: after roleChanged, the user’s next call fetches a new token', async () => {
    @Module({ imports: [ConfigServiceAppModule], providers: [PaymentsService, TeamService] })
    class App {}
    app = await startApp(adapter, App);
    const { user } = await app.get(PaymentsService).example(carol.id, carol.entityId);

    await app.get(TeamService).roleChanged(carol.id.toUpperCase());
    const { user: after } = await app.get(PaymentsService).example(carol.id, carol.entityId);
    expect(after.accessToken).not.toBe(user.accessToken);

    await app.get(TeamService).offboard(carol.entityId);
    const { user: afterEntity } = await app.get(PaymentsService).example(carol.id, carol.entityId);
    expect(afterEntity.accessToken).not.toBe(after.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(4); // the partner token once, carol's three times
  });

  it('the error-answers example: a library error escaping a controller is its HTTP answer, not a 500', async () => {
    @Controller('check')
    class CheckController {
      constructor(private readonly tokens: MoniteTokenService) {}
      @Get(':id')
      async check(@Param('id') id: string) {
        await this.tokens.getEntityUserToken(id);
      }
    }
    @Module({
      imports: [ConfigServiceAppModule, ErrorAnswersModule],
      controllers: [CheckController],
    })
    class App {}
    app = await startApp(adapter, App);
    await request(app.getHttpServer()).get('/check/not-a-uuid').expect(400);
    await request(app.getHttpServer()).get('/check/00000000-0000-4000-a000-999999999999').expect(404);
  });

  it('the hooks example receives token events', async () => {
    const counted: string[] = [];
    const audited: unknown[][] = [];
    const metrics = {
      increment: (name: string) => counted.push(name),
      timing: (name: string) => counted.push(name),
    };
    @Module({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: DEMO_CLIENT.clientId,
          clientSecret: DEMO_CLIENT.clientSecret,
          apiUrl: emulator.url,
          hooks: moniteHooks(metrics, { log: (...parts) => audited.push(parts) }),
        }),
      ],
    })
    class App {}
    app = await startApp(adapter, App);
    const tokens = app.get(MoniteTokenService);

    const token = await tokens.getEntityUserToken(carol.id);
    await tokens.revokeToken(token.accessToken);

    expect(counted).toEqual(['monite.token.fetched']);
    expect(audited).toEqual([['monite token revoked', carol.id]]);
  });
});
