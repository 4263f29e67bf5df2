/*
 * WebSockets (socket.io adapter, a real socket.io client over loopback) against the emulator
 * (monite-managed: roles from `my_role`). The caller is named in the handshake's headers. A denied
 * message gets no acknowledgement: the client receives an `exception` event with the denial's body,
 * and the handler never runs (HandlerRuns).
 */
import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DEMO_PAYABLES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { io, type Socket } from 'socket.io-client';
import { websocketsApp } from './apps/websockets.app.js';
import {
  HandlerRuns,
  MY_ROLE,
  OTHER_ENTITY,
  THROWING_USER,
  USER_HEADER,
  emulatorOptions,
  headersOf,
} from './transport-test-kit.js';

type Answer = { ack: unknown } | { exception: Record<string, unknown> };

const { carol, bob, dave } = DEMO_USERS;
const { carolNew, frankNew } = DEMO_PAYABLES;

let emulator: MoniteEmulator;
let app: INestApplication;
let runs: HandlerRuns;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  emulator = await startMoniteEmulator({ port: 0 });
  const moduleRef = await Test.createTestingModule({
    imports: [websocketsApp(emulatorOptions(emulator))],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
  runs = app.get(HandlerRuns);
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  jest.restoreAllMocks();
});
afterAll(async () => {
  await app.close();
  await emulator.close();
});

/** A connected client whose handshake carries `headers`. */
async function connect(headers: Record<string, string>): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], extraHeaders: headers, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Sends one message and waits for its acknowledgement or an `exception` event, whichever comes. */
function send(socket: Socket, event: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    const onException = (exception: Record<string, unknown>) => resolve({ exception });
    socket.once('exception', onException);
    socket.emit(event, body, (ack: unknown) => {
      socket.off('exception', onException);
      resolve({ ack });
    });
  });
}

/** Sends a message expecting a denial; proves the handler never ran; returns the exception's body. */
async function denied(socket: Socket, event: string, body?: unknown): Promise<Record<string, unknown>> {
  const before = runs.total();
  const answer = await send(socket, event, body);
  expect(answer).toEqual({ exception: expect.any(Object) });
  expect(runs.total()).toBe(before);
  return (answer as { exception: Record<string, unknown> }).exception;
}

describe('WebSockets through the guard (socket.io)', () => {
  it('41: allowed: the handler runs with the decision (@MoniteAccess), scope all', async () => {
    const socket = await connect(headersOf(bob));
    const before = runs.of('payables');
    expect(await send(socket, 'payables', {})).toEqual({
      ack: { handler: 'payables', scope: 'all', permission: 'allowed', entityUserId: bob.id, objectId: null },
    });
    expect(runs.of('payables')).toBe(before + 1);
  });

  it('35: allowed_for_own without an owner resolver: the handler runs with scope own', async () => {
    const socket = await connect(headersOf(carol));
    expect(await send(socket, 'payables', {})).toEqual({ ack: expect.objectContaining({ scope: 'own' }) });
  });

  it('33: denied (not_allowed): an exception event with status, reason and permission; the handler never ran', async () => {
    const socket = await connect(headersOf(carol));
    expect(await denied(socket, 'approvePayable', { id: carolNew.id })).toEqual({
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
    const socket = await connect(headersOf(carol));
    expect(await send(socket, 'payable', { id: carolNew.id })).toEqual({
      ack: expect.objectContaining({ handler: 'payable', scope: 'own', objectId: carolNew.id }),
    });
    expect(await denied(socket, 'payable', { id: frankNew.id })).toMatchObject({
      statusCode: 403,
      reason: 'not_owner',
    });
  });

  it("34: allowed_for_own with an owner function reading the message: own passes, another user's is denied", async () => {
    const socket = await connect(headersOf(carol));
    expect(await send(socket, 'updatePayable', { id: carolNew.id })).toEqual({
      ack: expect.objectContaining({ handler: 'updatePayable', scope: 'own' }),
    });
    expect(await denied(socket, 'updatePayable', { id: frankNew.id })).toMatchObject({ reason: 'not_owner' });
  });

  it('34: a message body that is the id itself: decided, and @MoniteAccess still finds its decision', async () => {
    const socket = await connect(headersOf(carol));
    expect(await send(socket, 'deletePayable', carolNew.id)).toEqual({
      ack: expect.objectContaining({ handler: 'deletePayable', scope: 'own', entityUserId: carol.id }),
    });
    expect(await denied(socket, 'deletePayable', frankNew.id)).toMatchObject({ reason: 'not_owner' });
  });

  it('34: an id that is no UUID: 400 before any call to Monite', async () => {
    const socket = await connect(headersOf(carol));
    const loads = emulator.count('GET /v1/payables/:id');
    expect(await denied(socket, 'payable', { id: '../entity_users' })).toMatchObject({
      status: 'error',
      statusCode: 400,
      message: 'Message field id must be a payable id (a UUID)',
    });
    expect(emulator.count('GET /v1/payables/:id')).toBe(loads);
  });

  it('38: no user in the handshake: 401 (no_user)', async () => {
    const socket = await connect({});
    expect(await denied(socket, 'payables', {})).toMatchObject({ statusCode: 401, reason: 'no_user' });
  });

  it('38: resolveEntityUser throws: 401, the reason logged, never an internal error', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const socket = await connect({ [USER_HEADER]: THROWING_USER });
    expect(await denied(socket, 'payables', {})).toMatchObject({ statusCode: 401, reason: 'no_user' });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('resolveEntityUser failed on TestPayablesGateway.payables: Error'),
    );
  });

  it('39: x-monite-entity-id in the handshake naming another entity: 403 (entity_mismatch)', async () => {
    const socket = await connect(headersOf(bob, OTHER_ENTITY));
    expect(await denied(socket, 'payables', {})).toMatchObject({
      statusCode: 403,
      reason: 'entity_mismatch',
    });
    const same = await connect(headersOf(bob, bob.entityId));
    expect(await send(same, 'payables', {})).toEqual({ ack: expect.objectContaining({ scope: 'all' }) });
  });

  it('37: the role cannot be fetched: 503 (role_unavailable), never a pass', async () => {
    const socket = await connect(headersOf(dave));
    emulator.fault(MY_ROLE, { status: 503 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await denied(socket, 'payables', {})).toEqual({
      status: 'error',
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Monite permissions are unavailable, try again later',
      reason: 'role_unavailable',
    });
    expect(await send(socket, 'payables', {})).toEqual({ ack: expect.objectContaining({ scope: 'all' }) });
  });

  it('41: messages of one client, sent at once to different handlers, each get their own decision', async () => {
    const socket = await connect(headersOf(carol));
    const answers = await Promise.all([
      send(socket, 'payable', { id: carolNew.id }),
      send(socket, 'payables', {}),
      send(socket, 'deletePayable', carolNew.id),
    ]);
    expect(answers).toEqual([
      { ack: expect.objectContaining({ handler: 'payable', objectId: carolNew.id }) },
      { ack: expect.objectContaining({ handler: 'payables', objectId: null }) },
      { ack: expect.objectContaining({ handler: 'deletePayable', objectId: null }) },
    ]);
  });

  it('32: a @MonitePublic handler answers without a caller', async () => {
    const socket = await connect({});
    expect(await send(socket, 'health')).toEqual({ ack: 'ok' });
  });
});
