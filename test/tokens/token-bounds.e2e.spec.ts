/*
 * Checklist 47 and the request bounds on real sockets: a hanging token endpoint with a full queue
 * (the emulator), and servers written here that stream an endless body or drip one byte at a time.
 * Nothing here times anything: each bound shows as what reached the server and which error came back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MoniteEmulator } from 'monite-emulator';
import { MoniteUnavailableError } from 'nestjs-monite-auth';
import { systemClock, type MoniteClock } from 'nestjs-monite-auth/testing';
import { rejection } from '../support/leak-ledger.js';
import { bootTokens, canaryLedger, startEmulator, userId, type TokenHarness } from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';

/** A loopback server answering the token endpoint with `respond`; counts requests. */
async function rawServer(respond: (res: import('node:http').ServerResponse) => void) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    respond(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    server,
  };
}

describe('token request bounds (real sockets)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  let harness: TokenHarness<MoniteClock> | undefined;

  beforeAll(async () => {
    emulator = await startEmulator(10);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('47: a hanging token endpoint with a full queue: every call settles by its deadline; the queued ones never reach Monite (review finding)', async () => {
    // Before: each queued call waited for the one ahead, then ran its own full timeout.
    harness = await bootTokens(
      emulator,
      ledger,
      { requestTimeoutMs: 300, maxConcurrentTokenRequests: 1, retry: { maxRetries: 0 } },
      systemClock,
    );
    for (let i = 0; i < 5; i++) emulator.fault(TOKEN_ROUTE, { hang: true });

    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) => harness!.tokens.getEntityUserToken(userId(n))),
    );

    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error;
      ledger.recordError(error);
      expect(error).toBeInstanceOf(MoniteUnavailableError);
      expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    }
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('an endless streamed body is cut off at the size cap: a typed error, not a hang or a heap full of it', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const server = await rawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      harness = await bootTokens(emulator, ledger, {
        apiUrl: server.url,
        requestTimeoutMs: 30_000,
        retry: { maxRetries: 0 },
      });
      const error = await rejection(harness.tokens.getPartnerToken(), ledger);
      expect(error).toBeInstanceOf(MoniteUnavailableError);
      expect(error).toMatchObject({ code: 'ETOOLARGE' });
      expect(error.message).toMatch(/exceeded 65536 bytes/);
    } finally {
      server.server.closeAllConnections();
      await server.close();
    }
  });

  it('a body dripped one byte at a time never resets an idle timer into forever: the total deadline ends it', async () => {
    const server = await rawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 20);
      res.once('close', () => clearInterval(drip));
    });
    try {
      harness = await bootTokens(emulator, ledger, {
        apiUrl: server.url,
        requestTimeoutMs: 300,
        retry: { maxRetries: 0 },
      });
      const error = await rejection(harness.tokens.getPartnerToken(), ledger);
      expect(error).toBeInstanceOf(MoniteUnavailableError);
      expect(error).toMatchObject({ code: 'ETIMEDOUT' });
      expect(server.requests()).toBe(1);
    } finally {
      server.server.closeAllConnections();
      await server.close();
    }
  });

  it('31: no secret or token in anything this file made the library say or throw', () => {
    expect(ledger.errors.length).toBeGreaterThan(5);
    expect(ledger.leaks()).toEqual([]);
  });
});
