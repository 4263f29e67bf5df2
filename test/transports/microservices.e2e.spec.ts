/*
 * Microservices (TCP transport, a real ClientProxy over loopback) against the emulator
 * (monite-managed: roles from `my_role`). A message carries its caller's headers in `headers`. A
 * denied message's caller gets an error carrying the denial's body, and the handler never runs
 * (HandlerRuns).
 */
import type { AddressInfo, Server } from 'node:net';
import { jest } from '@jest/globals';
import { Logger, type INestMicroservice } from '@nestjs/common';
import {
  ClientProxyFactory,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { DEMO_PAYABLES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { firstValueFrom } from 'rxjs';
import { microservicesApp } from './apps/microservices.app.js';
import {
  HandlerRuns,
  MY_ROLE,
  OTHER_ENTITY,
  THROWING_USER,
  USER_HEADER,
  emulatorOptions,
  headersOf,
} from './transport-test-kit.js';

const { carol, bob, dave } = DEMO_USERS;
const { carolNew, frankNew } = DEMO_PAYABLES;

let emulator: MoniteEmulator;
let service: INestMicroservice;
let client: ClientProxy;
let runs: HandlerRuns;

beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
  const moduleRef = await Test.createTestingModule({
    imports: [microservicesApp(emulatorOptions(emulator))],
  }).compile();
  service = moduleRef.createNestMicroservice<MicroserviceOptions>({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: 0 },
    logger: false,
  });
  await service.listen();
  const { port } = service.unwrap<Server>().address() as AddressInfo;
  runs = service.get(HandlerRuns);
  client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  await client.connect();
});
afterEach(() => jest.restoreAllMocks());
afterAll(async () => {
  await client.close();
  await service.close();
  await emulator.close();
});

/** Sends `pattern` with `message`; resolves to the answer, rejects with the error the caller receives. */
function send<T = unknown>(pattern: string, message: object): Promise<T> {
  return firstValueFrom(client.send<T>(pattern, message));
}

/** Sends a message expecting a denial; proves the handler never ran; returns the error the caller got. */
async function denied(pattern: string, message: object): Promise<Record<string, unknown>> {
  const before = runs.total();
  const error = await send(pattern, message).then(
    (answer) => {
      throw new Error(`${pattern} answered ${JSON.stringify(answer)}`);
    },
    (rejection: unknown) => rejection as Record<string, unknown>,
  );
  expect(runs.total()).toBe(before);
  return error;
}

describe('Microservices through the guard (TCP)', () => {
  it('41: allowed: the handler runs with the decision (@MoniteAccess), scope all', async () => {
    const before = runs.of('payables');
    expect(await send('payables', { headers: headersOf(bob) })).toEqual({
      handler: 'payables',
      scope: 'all',
      permission: 'allowed',
      entityUserId: bob.id,
      objectId: null,
    });
    expect(runs.of('payables')).toBe(before + 1);
  });

  it('35: allowed_for_own without an owner resolver: the handler runs with scope own', async () => {
    expect(await send('payables', { headers: headersOf(carol) })).toMatchObject({ scope: 'own' });
  });

  it('33: denied (not_allowed): the caller gets status, reason and permission; the handler never ran', async () => {
    expect(await denied('payable.approve', { headers: headersOf(carol), id: carolNew.id })).toEqual({
      status: 'error',
      statusCode: 403,
      error: 'Forbidden',
      message: 'Monite permission payable.approve is not allowed for this user',
      reason: 'not_allowed',
      permission: 'payable.approve',
    });
    expect(runs.of('approvePayable')).toBe(0);
  });

  it("34: allowed_for_own with the built-in owner resolver (the message's id): own passes, another user's is denied", async () => {
    expect(await send('payable', { headers: headersOf(carol), id: carolNew.id })).toMatchObject({
      handler: 'payable',
      scope: 'own',
      objectId: carolNew.id,
    });
    expect(await denied('payable', { headers: headersOf(carol), id: frankNew.id })).toMatchObject({
      statusCode: 403,
      reason: 'not_owner',
    });
  });

  it("34: allowed_for_own with an owner function reading the message: own passes, another user's is denied", async () => {
    expect(await send('payable.update', { headers: headersOf(carol), id: carolNew.id })).toMatchObject({
      handler: 'updatePayable',
      scope: 'own',
    });
    expect(await denied('payable.update', { headers: headersOf(carol), id: frankNew.id })).toMatchObject({
      reason: 'not_owner',
    });
  });

  it('34: an id that is no UUID: 400 before any call to Monite', async () => {
    const loads = emulator.count('GET /v1/payables/:id');
    expect(await denied('payable', { headers: headersOf(carol), id: '../entity_users' })).toMatchObject({
      status: 'error',
      statusCode: 400,
      message: 'Message field id must be a payable id (a UUID)',
    });
    expect(emulator.count('GET /v1/payables/:id')).toBe(loads);
  });

  it('38: no user in the message: 401 (no_user)', async () => {
    expect(await denied('payables', {})).toMatchObject({ statusCode: 401, reason: 'no_user' });
  });

  it('38: resolveEntityUser throws: 401, the reason logged, never an internal error', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await denied('payables', { headers: { [USER_HEADER]: THROWING_USER } })).toMatchObject({
      statusCode: 401,
      reason: 'no_user',
    });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('resolveEntityUser failed on TestPayablesMessages.payables: Error'),
    );
  });

  it("39: x-monite-entity-id in the message's headers naming another entity: 403 (entity_mismatch)", async () => {
    expect(await denied('payables', { headers: headersOf(bob, OTHER_ENTITY) })).toMatchObject({
      statusCode: 403,
      reason: 'entity_mismatch',
    });
    expect(await send('payables', { headers: headersOf(bob, bob.entityId) })).toMatchObject({ scope: 'all' });
  });

  it('37: the role cannot be fetched: 503 (role_unavailable), never a pass', async () => {
    emulator.fault(MY_ROLE, { status: 503 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await denied('payables', { headers: headersOf(dave) })).toEqual({
      status: 'error',
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Monite permissions are unavailable, try again later',
      reason: 'role_unavailable',
    });
    expect(await send('payables', { headers: headersOf(dave) })).toMatchObject({ scope: 'all' });
  });

  it('41: a denied event runs nothing; an allowed one runs (both followed by a message, to know they were handled)', async () => {
    client.emit('payable.viewed', {}).subscribe();
    await send('health', {});
    expect(runs.of('payableViewed')).toBe(0);

    client.emit('payable.viewed', { headers: headersOf(bob) }).subscribe();
    await send('health', {});
    expect(runs.of('payableViewed')).toBe(1);
  });

  it('32: a @MonitePublic handler answers without a caller', async () => {
    expect(await send('health', {})).toBe('ok');
  });
});
