import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { DEMO_ENTITIES, DEMO_PAYABLES } from './demo-seed.js';
import { startMoniteEmulator } from './emulator.js';
import type { MoniteEmulator } from './emulator.types.js';
import { ApiClient, VERSION } from './testing/api-client.js';

describe('request pipeline: API version, routing, counters, faults, logging', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  let token: string;
  const lines: string[] = [];
  const acme = DEMO_ENTITIES.acme.id;

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0, log: (line) => lines.push(line) });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    lines.length = 0;
    token = await api.partnerToken();
  });

  describe('x-monite-version', () => {
    it("400 with Monite's exact body when absent", async () => {
      const res = await api.call('GET', '/payables', { token, entityId: acme, noVersion: true });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: { type: 'missing_api_version', message: 'Missing the x-monite-version HTTP header' },
      });
    });

    it.each(['2024-5-25', 'latest', '2024-05-26'])(
      '400 invalid_api_version for %s, value not echoed',
      async (value) => {
        const res = await api.call('GET', '/payables', {
          token,
          entityId: acme,
          headers: { 'x-monite-version': value },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.type).toBe('invalid_api_version');
        expect(res.text).not.toContain(value);
      },
    );

    it('accepts every published version', async () => {
      for (const version of ['2025-06-23', '2023-06-04', '2022-11-16']) {
        const res = await api.call('GET', '/entity_users/me', {
          token: await api.userToken('alice'),
          headers: { 'x-monite-version': version },
        });
        expect(res.status).toBe(200);
      }
    });
  });

  describe('routing', () => {
    it('404 for an unknown path, 405 for a known path with another method', async () => {
      const unknown = await api.call('GET', '/webhooks', { token });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error: { message: 'Not Found' } });
      const method = await api.call('PUT', '/payables', { token });
      expect(method.status).toBe(405);
    });

    it('lists its route keys', () => {
      expect(emulator.routes()).toEqual(
        expect.arrayContaining([
          'POST /v1/auth/token',
          'POST /v1/auth/revoke',
          'POST /oauth2/token',
          'GET /v1/entity_users/me',
          'GET /v1/entity_users/my_role',
          'GET /v1/payables/:id',
          'POST /v1/payables/:id/approve',
          'POST /v1/payables/:id/pay',
          'DELETE /v1/roles/:id',
          'GET /v1/receivables',
          'DELETE /v1/bank_accounts/:id',
        ]),
      );
      // 23 for auth, users, roles and payables; 3 to 5 for each of the 14 other owned types.
      expect(emulator.routes()).toHaveLength(90);
    });
  });

  describe('counters', () => {
    it('counts per route key, with the pattern for parameterised routes, and in total', async () => {
      await api.call('GET', `/payables/${DEMO_PAYABLES.carolNew.id}`, { token, entityId: acme });
      await api.call('GET', `/payables/${DEMO_PAYABLES.frankNew.id}`, { token, entityId: acme });
      await api.call('GET', '/payables', { token, entityId: acme });
      await api.call('GET', '/nowhere', { token });
      expect(emulator.count('GET /v1/payables/:id')).toBe(2);
      expect(emulator.count('GET /v1/payables')).toBe(1);
      expect(emulator.count('POST /v1/auth/token')).toBe(1); // the beforeEach token
      expect(emulator.count()).toBe(5);
    });

    it('refuses an unknown route key, so a typo cannot make a test pass', () => {
      expect(() => emulator.count('GET /v1/payable')).toThrow(/Unknown route key/);
      expect(() => emulator.fault('GET /v1/payables/123', { status: 500 })).toThrow(/Unknown route key/);
    });

    it('keeps a redacted request history: no credential, no body values', async () => {
      await api.call('GET', '/payables?limit=1', { token, entityId: acme });
      const [tokenRequest] = emulator.requests('POST /v1/auth/token');
      expect(tokenRequest).toMatchObject({ method: 'POST', path: '/v1/auth/token', query: '' });
      expect(tokenRequest!.bodyFields.sort()).toEqual(['client_id', 'client_secret', 'grant_type']);
      expect(tokenRequest!.headers['x-monite-version']).toBe(VERSION);
      const [list] = emulator.requests('GET /v1/payables');
      expect(list!.query).toBe('limit=1');
      expect(list!.headers['authorization']).toBe('Bearer [redacted]');
      expect(JSON.stringify(emulator.requests())).not.toContain(token);
    });
  });

  describe('one-shot faults', () => {
    const tokenBody = () => ({
      grant_type: 'client_credentials',
      client_id: api.client.clientId,
      client_secret: api.client.clientSecret,
    });

    it('status: 503 with Monite error body, once; the next request is normal', async () => {
      emulator.fault('POST /v1/auth/token', { status: 503 });
      const failed = await api.tokenRequest(tokenBody());
      expect(failed.status).toBe(503);
      expect(failed.body).toEqual({ error: { message: 'Service Unavailable' } });
      expect((await api.tokenRequest(tokenBody())).status).toBe(200);
    });

    it('faults queue in order: two 500s then success', async () => {
      emulator.fault('POST /v1/auth/token', { status: 500 });
      emulator.fault('POST /v1/auth/token', { status: 502 });
      expect((await api.tokenRequest(tokenBody())).status).toBe(500);
      expect((await api.tokenRequest(tokenBody())).status).toBe(502);
      expect((await api.tokenRequest(tokenBody())).status).toBe(200);
    });

    it('429 with the given Retry-After (seconds or HTTP date)', async () => {
      emulator.fault('POST /v1/auth/token', { status: 429, retryAfter: '2' });
      const seconds = await api.tokenRequest(tokenBody());
      expect(seconds.status).toBe(429);
      expect(seconds.headers.get('retry-after')).toBe('2');
      const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
      emulator.fault('POST /v1/auth/token', { retryAfter: date });
      const dated = await api.tokenRequest(tokenBody());
      expect(dated.status).toBe(429);
      expect(dated.headers.get('retry-after')).toBe(date);
    });

    it('malformed: 200 with an HTML page', async () => {
      emulator.fault('POST /v1/auth/token', { malformed: true });
      const res = await api.tokenRequest(tokenBody());
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toMatch(/^<!DOCTYPE html>/);
      expect(res.body).toBeUndefined();
    });

    it('body: exactly that JSON, with the given status or 200', async () => {
      emulator.fault('POST /v1/auth/token', { body: { access_token: 'x', expires_in: '1800' } });
      const ok = await api.tokenRequest(tokenBody());
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ access_token: 'x', expires_in: '1800' });
      emulator.fault('GET /v1/payables/:id', {
        status: 409,
        body: { error: { message: 'Action read for payable not allowed' } },
      });
      const conflict = await api.call('GET', `/payables/${DEMO_PAYABLES.carolNew.id}`, {
        token,
        entityId: acme,
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({ error: { message: 'Action read for payable not allowed' } });
    });

    it('delayMs: answers normally, not before the delay', async () => {
      emulator.fault('POST /v1/auth/token', { delayMs: 60 });
      let settled = false;
      const pending = api.tokenRequest(tokenBody()).then((res) => {
        settled = true;
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      expect((await pending).status).toBe(200);
    });

    it('delayMs with status: the status after the delay', async () => {
      emulator.fault('POST /v1/auth/token', { delayMs: 10, status: 504 });
      expect((await api.tokenRequest(tokenBody())).status).toBe(504);
    });

    it('reset: the client sees ECONNRESET', async () => {
      emulator.fault('POST /v1/auth/token', { reset: true });
      const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
        const req = httpRequest(`${emulator.url}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-monite-version': VERSION },
        });
        req.on('response', () => reject(new Error('got a response')));
        req.on('error', resolve);
        req.end(JSON.stringify(tokenBody()));
      });
      expect(error.code).toBe('ECONNRESET');
      expect((await api.tokenRequest(tokenBody())).status).toBe(200);
    });

    it('hang: no answer; the client can give up, and the emulator still serves others', async () => {
      emulator.fault('POST /v1/auth/token', { hang: true });
      const aborted = await fetch(`${emulator.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-monite-version': VERSION },
        body: JSON.stringify(tokenBody()),
        signal: AbortSignal.timeout(100),
      }).then(
        () => 'answered',
        (error: Error) => error.name,
      );
      expect(aborted).toBe('TimeoutError');
      expect((await api.tokenRequest(tokenBody())).status).toBe(200);
    });

    it('hang: close() does not wait for the hanging request and the client sees the socket close', async () => {
      const own = await startMoniteEmulator({ port: 0 });
      own.fault('GET /v1/entity_users/me', { hang: true });
      const pending = fetch(`${own.url}/entity_users/me`, { headers: { 'x-monite-version': VERSION } }).then(
        () => 'answered',
        () => 'socket closed',
      );
      while (own.count('GET /v1/entity_users/me') === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await own.close();
      expect(await pending).toBe('socket closed');
      await own.close(); // idempotent
    });

    it('close() also cuts a long delay short', async () => {
      const own = await startMoniteEmulator({ port: 0 });
      own.fault('GET /v1/entity_users/me', { delayMs: 60_000 });
      const pending = fetch(`${own.url}/entity_users/me`, { headers: { 'x-monite-version': VERSION } }).then(
        () => 'answered',
        () => 'socket closed',
      );
      while (own.count('GET /v1/entity_users/me') === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await own.close();
      expect(await pending).toBe('socket closed');
    });

    it('refuses malformed faults', () => {
      expect(() => emulator.fault('POST /v1/auth/token', {})).toThrow(TypeError);
      expect(() => emulator.fault('POST /v1/auth/token', { status: 700 })).toThrow(RangeError);
      expect(() => emulator.fault('POST /v1/auth/token', { hang: true, status: 500 })).toThrow(TypeError);
      expect(() => emulator.fault('POST /v1/auth/token', { delayMs: -1 })).toThrow(RangeError);
      expect(() => emulator.fault('POST /v1/auth/token', { statuss: 500 } as never)).toThrow(/unknown field/);
    });

    it('reset() forgets queued faults', async () => {
      emulator.fault('POST /v1/auth/token', { status: 500 });
      emulator.reset();
      expect((await api.tokenRequest(tokenBody())).status).toBe(200);
    });
  });

  describe('log lines', () => {
    it('show method, path, status and duration; no query string; non-UUID parameters masked', async () => {
      await api.call('GET', `/payables/${DEMO_PAYABLES.carolNew.id}?secret=abc`, { token, entityId: acme });
      await api.call('GET', '/payables/not-a-uuid-value', { token, entityId: acme });
      await api.call('GET', '/v1oops/some-secret-path', { token });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines).toContain(lines.find((l) => /^POST \/v1\/auth\/token 200 \d+\.\dms$/.test(l)));
      expect(
        lines.some((l) =>
          new RegExp(`^GET /v1/payables/${DEMO_PAYABLES.carolNew.id} 200 \\d+\\.\\dms$`).test(l),
        ),
      ).toBe(true);
      expect(lines.some((l) => l.startsWith('GET /v1/payables/:id 422 '))).toBe(true);
      expect(lines.some((l) => l.startsWith('GET /v1/*/* 404 '))).toBe(true);
      expect(lines.join('\n')).not.toMatch(/secret|not-a-uuid-value/);
    });

    it('a request that never gets an answer is logged when its socket closes', async () => {
      const own: string[] = [];
      const emu = await startMoniteEmulator({ port: 0, log: (line) => own.push(line) });
      emu.fault('GET /v1/entity_users/me', { hang: true });
      const pending = fetch(`${emu.url}/entity_users/me`, { headers: { 'x-monite-version': VERSION } }).catch(
        () => 'closed',
      );
      while (emu.count('GET /v1/entity_users/me') === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await emu.close();
      await pending;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(own).toEqual([expect.stringMatching(/^GET \/v1\/entity_users\/me - \(no answer\) \d+\.\dms$/)]);
    });
  });
});
