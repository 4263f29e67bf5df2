/*
 * libs/monite-auth/docs/transports.md stays true: every TypeScript block on the page is code of
 * transports.examples.ts (type-checked by `npm run typecheck`), its imports aside, and the documented module, booted
 * against the emulator as one hybrid app (HTTP with Apollo and socket.io, plus a TCP
 * microservice), does what the page says in each transport.
 */
import type { AddressInfo, Server } from 'node:net';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import {
  ClientProxyFactory,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { DEMO_PAYABLES, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { firstValueFrom } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { codeOf, readPage, squash, tsBlocksOf } from '../support/doc-blocks.js';
import { authenticateTestHeaders, emulatorOptions, headersOf } from './transport-test-kit.js';
import { payablesAppModule } from './transports.examples.js';

describe('docs/transports.md', () => {
  it('shows only code that is in transports.examples.ts (imports aside), so the page shows what runs', async () => {
    const blocks = tsBlocksOf(await readPage('libs/monite-auth/docs/transports.md'));
    const examples = squash(await readPage('test/transports/transports.examples.ts'));
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    expect(blocks.filter((block) => !examples.includes(codeOf(block)))).toEqual([]);
  });

  describe('the documented module, one app for every transport', () => {
    const { carol, bob } = DEMO_USERS;
    const { carolNew, frankNew } = DEMO_PAYABLES;
    let emulator: MoniteEmulator;
    let app: INestApplication;
    let socket: Socket;
    let client: ClientProxy;

    beforeAll(async () => {
      emulator = await startMoniteEmulator({ port: 0 });
      const moduleRef = await Test.createTestingModule({
        imports: [payablesAppModule(emulatorOptions(emulator), authenticateTestHeaders)],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      const service = app.connectMicroservice<MicroserviceOptions>({
        transport: Transport.TCP,
        options: { host: '127.0.0.1', port: 0 },
      });
      await app.startAllMicroservices();
      await app.listen(0, '127.0.0.1');
      const { port } = (service as INestMicroservice).unwrap<Server>().address() as AddressInfo;
      client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
      await client.connect();
    });
    afterEach(() => socket?.disconnect());
    afterAll(async () => {
      await client.close();
      await app.close();
      await emulator.close();
    });

    const graphql = (query: string, headers: Record<string, string>) =>
      request(app.getHttpServer()).post('/graphql').set(headers).send({ query }).expect(200);

    async function connect(headers: Record<string, string>): Promise<Socket> {
      socket = io(await app.getUrl(), {
        transports: ['websocket'],
        extraHeaders: headers,
        reconnection: false,
      });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      return socket;
    }

    it('GraphQL: Carol lists her own payables; Bob approves one; Carol may not (FORBIDDEN, nothing approved)', async () => {
      const list = await graphql('{ payables { id was_created_by_user_id } }', headersOf(carol));
      expect(list.body.data.payables.length).toBeGreaterThan(0);
      for (const payable of list.body.data.payables) expect(payable.was_created_by_user_id).toBe(carol.id);

      const approve = `mutation { approvePayable(id: "${frankNew.id}") { id status } }`;
      const refused = await graphql(approve, headersOf(carol));
      expect(refused.body).toMatchObject({
        data: { approvePayable: null },
        errors: [{ extensions: { code: 'FORBIDDEN', reason: 'not_allowed', permission: 'payable.approve' } }],
      });
      expect(emulator.getPayable(frankNew.id)).toMatchObject({ status: 'new' });

      const approved = await graphql(approve, headersOf(bob));
      expect(approved.body.data.approvePayable).toEqual({ id: frankNew.id, status: 'waiting_to_be_paid' });
    });

    it("WebSockets: Carol reads her own payable (loaded once by the owner resolver), not Frank's", async () => {
      const carolSocket = await connect(headersOf(carol));
      const loads = emulator.count('GET /v1/payables/:id');
      const own = await carolSocket.emitWithAck('payable', { id: carolNew.id });
      expect(own).toMatchObject({ id: carolNew.id, was_created_by_user_id: carol.id });
      expect(emulator.count('GET /v1/payables/:id')).toBe(loads + 1);
      const exception = new Promise((resolve) => carolSocket.once('exception', resolve));
      carolSocket.emit('payable', { id: frankNew.id });
      expect(await exception).toMatchObject({ status: 'error', statusCode: 403, reason: 'not_owner' });
    });

    it('Microservices: Carol reads her own payable; her approval is refused with the denial body', async () => {
      const own = await firstValueFrom(
        client.send('payable.get', { headers: headersOf(carol), id: carolNew.id }),
      );
      expect(own).toMatchObject({ id: carolNew.id });
      await expect(
        firstValueFrom(client.send('payable.approve', { headers: headersOf(carol), id: carolNew.id })),
      ).rejects.toEqual({
        status: 'error',
        statusCode: 403,
        error: 'Forbidden',
        message: 'Monite permission payable.approve is not allowed for this user',
        reason: 'not_allowed',
        permission: 'payable.approve',
      });
    });
  });
});
