/*
 * One error story, over real HTTP on Express and Fastify: a library error that escapes a controller
 * (a MoniteTokenService or MoniteClient call) becomes the matching answer through MoniteExceptionFilter,
 * registered with one line (APP_FILTER, or app.useGlobalFilters), and never forwards what is the
 * library's own problem. Monite is the emulator, failing on demand.
 */
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import {
  MoniteAuthModule,
  MoniteClient,
  MoniteConfigurationError,
  MoniteExceptionFilter,
  MoniteTokenService,
} from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp, type AdapterName } from '../support/nest-app.js';

const LIST_ROUTE = 'GET /v1/payables';
const TOKEN_ROUTE = 'POST /v1/auth/token';
const carol = DEMO_USERS.carol;

@Controller()
class ErrorsController {
  constructor(
    private readonly monite: MoniteClient,
    private readonly tokens: MoniteTokenService,
  ) {}

  @Get('payables')
  async list() {
    return this.monite.get('/payables', { user: { entityUserId: carol.id, entityId: carol.entityId } });
  }

  @Get('users/:id/check')
  async check(@Param('id') id: string) {
    await this.tokens.getEntityUserToken(id);
    return { ok: true };
  }

  @Get('misconfigured')
  misconfigured() {
    throw new MoniteConfigurationError('nestjs-monite-auth: option "x" is wrong');
  }
}

function appModule(emulator: MoniteEmulator, withFilterProvider: boolean) {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        apiUrl: emulator.url,
        retry: { maxRetries: 0, maxRetryAfterMs: 1_000 },
      }),
    ],
    controllers: [ErrorsController],
    providers: withFilterProvider ? [{ provide: APP_FILTER, useClass: MoniteExceptionFilter }] : [],
  })
  class ErrorsApp {}
  return ErrorsApp;
}

const registrations = ADAPTERS.flatMap((adapter) =>
  (['APP_FILTER', 'useGlobalFilters'] as const).map((registration) => [adapter, registration] as const),
);

describe.each(registrations)(
  '7: library errors as HTTP answers (%s, %s)',
  (adapter: AdapterName, registration) => {
    let emulator: MoniteEmulator;
    let app: INestApplication;
    const get = (path: string) => request(app.getHttpServer()).get(path);

    beforeAll(async () => {
      emulator = await startMoniteEmulator({ port: 0 });
      app = await startApp(adapter, appModule(emulator, registration === 'APP_FILTER'), (created) => {
        if (registration === 'useGlobalFilters') created.useGlobalFilters(new MoniteExceptionFilter());
      });
    });
    afterAll(async () => {
      await app.close();
      await emulator.close();
    });
    beforeEach(() => emulator.reset());

    it.each<[string, Parameters<MoniteEmulator['fault']>[1], number, string, string]>([
      [
        '403',
        { status: 403, body: { error: { message: 'Action read for payable not allowed' } } },
        403,
        'Forbidden',
        'Action read for payable not allowed',
      ],
      [
        'the 409 permission failure',
        { status: 409, body: { error: { message: 'Action read for payable not allowed' } } },
        403,
        'Forbidden',
        'Action read for payable not allowed',
      ],
      [
        'another 409',
        { status: 409, body: { error: { message: 'The payable is locked' } } },
        409,
        'Conflict',
        'The payable is locked',
      ],
      [
        '404',
        { status: 404, body: { error: { message: 'Payable not found' } } },
        404,
        'Not Found',
        'Payable not found',
      ],
    ])(
      'Monite answers %s: the caller gets %i with Monite’s message',
      async (_name, fault, status, error, message) => {
        emulator.fault(LIST_ROUTE, fault);
        const response = await get('/payables').expect(status);
        expect(response.body).toMatchObject({ statusCode: status, error, message });
      },
    );

    it('Monite answers 422 on the caller’s input: 422 with the fields Monite named', async () => {
      emulator.fault(LIST_ROUTE, {
        status: 422,
        body: { detail: [{ loc: ['query', 'limit'], msg: 'must be at most 100' }] },
      });
      const response = await get('/payables').expect(422);
      expect(response.body).toMatchObject({
        error: 'Unprocessable Entity',
        moniteStatus: 422,
        fields: [{ field: 'query.limit', message: 'must be at most 100' }],
      });
    });

    it('Monite answers 429: 429 with a Retry-After header', async () => {
      emulator.fault(LIST_ROUTE, { status: 429, retryAfter: '7' });
      const response = await get('/payables').expect(429);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.body).toMatchObject({ error: 'Too Many Requests', retryAfterSeconds: 7 });
    });

    it.each<[string, () => void, number, string]>([
      [
        '5xx',
        () =>
          emulator.fault(LIST_ROUTE, { status: 500, body: { error: { message: 'db host 10.0.0.7 down' } } }),
        503,
        'Service Unavailable',
      ],
      ['unreachable', () => emulator.fault(LIST_ROUTE, { reset: true }), 503, 'Service Unavailable'],
      [
        '401 after the one replay',
        () =>
          [1, 2].forEach(() =>
            emulator.fault(LIST_ROUTE, { status: 401, body: { error: { message: 'Token expired' } } }),
          ),
        502,
        'Bad Gateway',
      ],
      [
        'the token endpoint refusing our credentials',
        () => emulator.fault(TOKEN_ROUTE, { status: 401 }),
        502,
        'Bad Gateway',
      ],
    ])(
      'the library’s own problem (%s) is %i, with neither Monite’s words nor its status',
      async (_name, arrange, status, error) => {
        arrange();
        const response = await get('/payables').expect(status);
        expect(response.body).toEqual({ statusCode: status, error, message: expect.any(String) });
        expect(JSON.stringify(response.body)).not.toMatch(/10\.0\.0\.7|Token expired|Invalid client/);
      },
    );

    it('a MoniteTokenService call: a non-UUID id is a 400 that does not claim Monite refused it', async () => {
      const response = await get('/users/not-a-uuid/check').expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'entityUserId must be a UUID',
      });
      expect(emulator.count()).toBe(0);
    });

    it('a MoniteTokenService call: an entity user Monite does not know is a 404', async () => {
      const response = await get('/users/00000000-0000-4000-a000-999999999999/check').expect(404);
      expect(response.body).toMatchObject({ error: 'Not Found', moniteStatus: 404 });
    });

    it('a bad option surfacing at run time is a 500 that names nothing', async () => {
      const response = await get('/misconfigured').expect(500);
      expect(response.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'The Monite integration is misconfigured',
      });
    });
  },
);
