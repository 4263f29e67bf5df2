/*
 * GraphQL (Apollo driver, queries and mutations over HTTP) on Express and Fastify, against the
 * emulator (monite-managed: roles from `my_role`). A denied field answers null with an error whose
 * `extensions.code` says why, and its resolver never runs (HandlerRuns).
 */
import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { DEMO_PAYABLES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { graphqlApp } from './apps/graphql.app.js';
import {
  HandlerRuns,
  MY_ROLE,
  OTHER_ENTITY,
  THROWING_USER,
  USER_HEADER,
  emulatorOptions,
  headersOf,
} from './transport-test-kit.js';

interface GraphqlError {
  message: string;
  path?: string[];
  extensions: { code: string; statusCode?: number; reason?: string; permission?: string };
}
interface GraphqlAnswer {
  data: Record<string, Record<string, unknown> | null> | null;
  errors?: GraphqlError[];
}

const VIEW = '{ handler scope permission entityUserId objectId }';
const updateMutation = (id: string) => `mutation { updatePayable(id: "${id}", description: "x") ${VIEW} }`;
const { carol, bob, dave } = DEMO_USERS;
const { carolNew, frankNew } = DEMO_PAYABLES;

let emulator: MoniteEmulator;
beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

describe.each(ADAPTERS)('GraphQL through the guard (Apollo on %s)', (adapter) => {
  let app: INestApplication;
  let runs: HandlerRuns;

  beforeAll(async () => {
    app = await startApp(adapter, graphqlApp(emulatorOptions(emulator)));
    runs = app.get(HandlerRuns);
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => jest.restoreAllMocks());

  async function graphql(query: string, headers: Record<string, string> = {}): Promise<GraphqlAnswer> {
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set(headers)
      .send({ query })
      .expect(200);
    return response.body as GraphqlAnswer;
  }

  /** Runs `query` expecting field `field` denied: null data, one error; returns the error. Proves the resolver never ran. */
  async function denied(
    field: string,
    query: string,
    headers: Record<string, string>,
  ): Promise<GraphqlError> {
    const before = runs.total();
    const answer = await graphql(query, headers);
    expect(answer.data).toEqual({ [field]: null });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].path).toEqual([field]);
    expect(runs.total()).toBe(before);
    return answer.errors![0];
  }

  it('41: allowed: the resolver runs with the decision (@MoniteAccess), scope all', async () => {
    const before = runs.of('payables');
    const answer = await graphql(`{ payables ${VIEW} }`, headersOf(bob));
    expect(answer).toEqual({
      data: {
        payables: {
          handler: 'payables',
          scope: 'all',
          permission: 'allowed',
          entityUserId: bob.id,
          objectId: null,
        },
      },
    });
    expect(runs.of('payables')).toBe(before + 1);
  });

  it('35: allowed_for_own without an owner resolver: the resolver runs with scope own', async () => {
    const answer = await graphql(`{ payables ${VIEW} }`, headersOf(carol));
    expect(answer.data?.payables).toMatchObject({ scope: 'own', permission: 'allowed_for_own' });
  });

  it('33: denied (not_allowed): FORBIDDEN with reason and permission, no data, the mutation never ran', async () => {
    const error = await denied(
      'approvePayable',
      `mutation { approvePayable(id: "${carolNew.id}") ${VIEW} }`,
      headersOf(carol),
    );
    expect(error).toMatchObject({
      message: 'Monite permission payable.approve is not allowed for this user',
      extensions: {
        code: 'FORBIDDEN',
        statusCode: 403,
        reason: 'not_allowed',
        permission: 'payable.approve',
      },
    });
    expect(runs.of('approvePayable')).toBe(0);
  });

  it("34: allowed_for_own with the built-in owner resolver (the id argument): own passes, another user's is FORBIDDEN", async () => {
    const own = await graphql(`{ payable(id: "${carolNew.id}") ${VIEW} }`, headersOf(carol));
    expect(own.data?.payable).toMatchObject({ handler: 'payable', scope: 'own', objectId: carolNew.id });

    const error = await denied('payable', `{ payable(id: "${frankNew.id}") ${VIEW} }`, headersOf(carol));
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not_owner' });
  });

  it("34: allowed_for_own with an owner function reading the GraphQL arguments: own passes, another user's is FORBIDDEN", async () => {
    const own = await graphql(updateMutation(carolNew.id), headersOf(carol));
    expect(own.data?.updatePayable).toMatchObject({ handler: 'updatePayable', scope: 'own' });

    const error = await denied('updatePayable', updateMutation(frankNew.id), headersOf(carol));
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not_owner' });
  });

  it('34: an id argument that is no UUID: BAD_REQUEST before any call to Monite', async () => {
    const loads = emulator.count('GET /v1/payables/:id');
    const error = await denied('payable', `{ payable(id: "../entity_users") ${VIEW} }`, headersOf(carol));
    expect(error.extensions).toMatchObject({ code: 'BAD_REQUEST', statusCode: 400 });
    expect(emulator.count('GET /v1/payables/:id')).toBe(loads);
  });

  it('38: no user: UNAUTHENTICATED (no_user)', async () => {
    const error = await denied('payables', `{ payables ${VIEW} }`, {});
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', statusCode: 401, reason: 'no_user' });
  });

  it('38: resolveEntityUser throws: UNAUTHENTICATED, the reason logged, never an internal error', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = await denied('payables', `{ payables ${VIEW} }`, { [USER_HEADER]: THROWING_USER });
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'no_user' });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('resolveEntityUser failed on TestPayablesResolver.payables: Error'),
    );
  });

  it('39: x-monite-entity-id (an HTTP header of the GraphQL request) naming another entity: FORBIDDEN (entity_mismatch)', async () => {
    const error = await denied('payables', `{ payables ${VIEW} }`, headersOf(bob, OTHER_ENTITY));
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'entity_mismatch' });
    // The caller's own entity in the header is fine.
    const same = await graphql(`{ payables ${VIEW} }`, headersOf(bob, bob.entityId.toUpperCase()));
    expect(same.data?.payables).toMatchObject({ scope: 'all' });
  });

  it('37: the role cannot be fetched: SERVICE_UNAVAILABLE (role_unavailable), never a pass', async () => {
    // Dave's role is fetched here for the first time (nothing cached): the fault meets it.
    emulator.fault(MY_ROLE, { status: 503 });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = await denied('payables', `{ payables ${VIEW} }`, headersOf(dave));
    expect(error).toMatchObject({
      message: 'Monite permissions are unavailable, try again later',
      extensions: { code: 'SERVICE_UNAVAILABLE', statusCode: 503, reason: 'role_unavailable' },
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Role unavailable'));
    // Once Monite answers again, Dave (a treasurer, who may read payables) passes.
    expect((await graphql(`{ payables ${VIEW} }`, headersOf(dave))).data?.payables).toMatchObject({
      scope: 'all',
    });
  });

  it('41: each field of one operation is decided on its own, with its own @MoniteAccess', async () => {
    const before = runs.total();
    const answer = await graphql(
      `{ mine: payable(id: "${carolNew.id}") ${VIEW}
         other: payable(id: "${frankNew.id}") ${VIEW}
         list: payables ${VIEW} }`,
      headersOf(carol),
    );
    expect(answer.data).toEqual({
      mine: expect.objectContaining({ handler: 'payable', objectId: carolNew.id, scope: 'own' }),
      other: null,
      list: expect.objectContaining({ handler: 'payables', objectId: null, scope: 'own' }),
    });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['other'],
        extensions: expect.objectContaining({ reason: 'not_owner' }),
      }),
    ]);
    expect(runs.total()).toBe(before + 2);
  });

  it('32: a @MonitePublic query passes without a caller', async () => {
    expect(await graphql('{ health }')).toEqual({ data: { health: 'ok' } });
  });
});
