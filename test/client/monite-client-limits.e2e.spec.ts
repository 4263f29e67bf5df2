/*
 * What bounds a MoniteClient call, at a loopback server that misbehaves on purpose: a total
 * deadline per attempt (an answer that trickles in forever still ends), a response size cap, waits
 * that end when the app shuts down or the caller aborts, and errors that never hold the bearer
 * token, even when the server echoes it back.
 */
import { inspect } from 'node:util';
import { DEMO_CLIENT } from 'monite-emulator';
import { MoniteHttpException, type MoniteAuthModuleOptions, type MoniteClient } from 'nestjs-monite-auth';
import { systemClock, type MoniteClock } from 'nestjs-monite-auth/testing';
import { rejection } from '../support/leak-ledger.js';
import { bootClient, type BootedClient } from './client-test-kit.js';
import { startLoopbackMonite, type LoopbackMonite } from './loopback-monite.js';

const ENTITY = '00000000-0000-4000-8000-000000001001';
const partner = { asPartner: true, entityId: ENTITY } as const;
const MiB = 1024 * 1024;

/** A clock whose waits end only when their signal aborts; says when the first wait starts. */
function clockThatWaitsForever(): MoniteClock & { waiting: Promise<number> } {
  let started!: (ms: number) => void;
  const waiting = new Promise<number>((resolve) => (started = resolve));
  return {
    ...systemClock,
    waiting,
    sleep: (ms, signal) =>
      new Promise<void>((_, reject) => {
        started(ms);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
}

/** The library error behind a MoniteClient rejection. */
async function failureOf(promise: Promise<unknown>) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MoniteHttpException);
  return error as MoniteHttpException;
}

describe('MoniteClient limits at a loopback server', () => {
  let monite: LoopbackMonite;
  let booted: BootedClient | undefined;
  let client: MoniteClient;

  async function boot(options: Partial<MoniteAuthModuleOptions> = {}, clock?: MoniteClock) {
    await booted?.app.close();
    booted = await bootClient({ apiUrl: monite.url, ...options }, clock);
    client = booted.client;
  }

  beforeAll(async () => {
    monite = await startLoopbackMonite();
  });
  beforeEach(async () => {
    monite.targets.length = 0;
    monite.respond = (_request, response) => response.writeHead(200).end('{}');
    await boot();
  });
  afterAll(async () => {
    await booted?.app.close();
    await monite.close();
  });

  it('every attempt has a total deadline: an answer that trickles in forever still ends (503 ETIMEDOUT)', async () => {
    monite.respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // One byte every 20 ms: an idle-socket timeout never fires.
      const drip = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(drip));
    };
    const error = await failureOf(client.get('/payables', { ...partner, timeoutMs: 300 }));
    expect(error.getStatus()).toBe(503);
    expect(error.moniteError.code).toBe('ETIMEDOUT');
    // A GET is idempotent: each of its 1 + maxRetries attempts had the same deadline.
    expect(monite.targets).toHaveLength(3);
  });

  it('an answer over 10 MiB is a MoniteUnavailableError (503), never a crash, and is not asked for again', async () => {
    const huge = JSON.stringify({ data: 'x'.repeat(10 * MiB) });
    monite.respond = (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(huge);
    const error = await failureOf(client.get('/payables', partner));
    expect(error.getStatus()).toBe(503);
    expect(error.moniteError.name).toBe('MoniteUnavailableError');
    expect(error.moniteError.code).toBe('ETOOLARGE');
    expect(monite.targets).toHaveLength(1);
  });

  it('maxResponseBytes sets the cap per call, for error answers too', async () => {
    monite.respond = (_request, response) =>
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: 'y'.repeat(4096) }));
    const error = await failureOf(client.post('/payables', {}, { ...partner, maxResponseBytes: 1024 }));
    expect(error.moniteError.code).toBe('ETOOLARGE');

    monite.respond = (_request, response) =>
      response.writeHead(200).end(JSON.stringify({ data: 'z'.repeat(4096) }));
    await expect(client.get('/payables', { ...partner, maxResponseBytes: 8192 })).resolves.toBeDefined();
  });

  it('a retry wait ends when the app shuts down (503 ABORTED), on the injected clock', async () => {
    const clock = clockThatWaitsForever();
    await boot({}, clock);
    monite.respond = (_request, response) => response.writeHead(429, { 'retry-after': '30' }).end('{}');
    const pending = failureOf(client.get('/payables', partner));
    expect(await clock.waiting).toBe(30_000);
    await booted!.app.close();
    booted = undefined;
    const error = await pending;
    expect(error.getStatus()).toBe(503);
    expect(error.moniteError.code).toBe('ABORTED');
    expect(error.moniteError.message).toMatch(/shutting down/);
  });

  it("the caller's signal ends an attempt in flight and a retry wait", async () => {
    monite.respond = () => undefined; // never answers
    const inFlight = new AbortController();
    const hanging = failureOf(client.get('/payables', { ...partner, signal: inFlight.signal }));
    while (monite.targets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight.abort();
    expect((await hanging).moniteError.code).toBe('ABORTED');

    const clock = clockThatWaitsForever();
    await boot({}, clock);
    monite.respond = (_request, response) => response.writeHead(503, { 'retry-after': '5' }).end('{}');
    const waiting = new AbortController();
    const pending = failureOf(client.get('/payables', { ...partner, signal: waiting.signal }));
    await clock.waiting;
    waiting.abort();
    expect((await pending).moniteError.code).toBe('ABORTED');
  });

  it('49: MoniteClient errors never hold the bearer token Monite echoed (each token, across the 401 replay)', async () => {
    monite.respond = (request, response) => {
      const credentials = request.headers.authorization ?? '';
      const token = credentials.replace(/^Bearer /, '');
      const body = {
        error: {
          message: `${'m'.repeat(280)} refused ${credentials} (${encodeURIComponent(token)})`,
          type: token,
        },
        detail: [{ loc: ['header', token], msg: credentials }],
      };
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const issuedBefore = monite.tokens.length;
    const error = await failureOf(client.get('/payables', partner));
    expect(error.getStatus()).toBe(502);
    expect(monite.targets).toHaveLength(2);
    // The partner token of this boot, and the one fetched after the 401.
    expect(monite.tokens.length - issuedBefore).toBe(2);
    const rendered = [
      error.message,
      JSON.stringify(error.getResponse()),
      inspect(error, { depth: Infinity, showHidden: true }),
      String(error.moniteError.moniteMessage),
      String(error.moniteError.code),
      error.moniteError.message,
      JSON.stringify(error.moniteError),
    ].join('\n');
    for (const token of monite.tokens) {
      expect(rendered).not.toContain(token);
      expect(rendered).not.toContain(token.slice(0, 20));
    }
    expect(rendered).not.toContain(DEMO_CLIENT.clientSecret);
  });
});
