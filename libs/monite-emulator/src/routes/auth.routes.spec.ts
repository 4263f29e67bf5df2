import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient } from '../testing/api-client.js';

describe('POST /v1/auth/token and /v1/auth/revoke', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  const creds = { client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('token', () => {
    it('issues an opaque partner token with expires_in 1800 and token_type Bearer', async () => {
      const res = await api.tokenRequest({ grant_type: 'client_credentials', ...creds });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 1800, token_type: 'Bearer' });
      expect(res.headers.get('cache-control')).toBe('no-store');
      // Opaque: not a JWT (no dot-separated segments), long and random.
      expect(res.body.access_token).not.toContain('.');
      expect(res.body.access_token.length).toBeGreaterThanOrEqual(40);
      const again = await api.tokenRequest({ grant_type: 'client_credentials', ...creds });
      expect(again.body.access_token).not.toBe(res.body.access_token);
    });

    it('issues an entity_user token that acts as that user', async () => {
      const res = await api.tokenRequest({
        grant_type: 'entity_user',
        ...creds,
        entity_user_id: DEMO_USERS.carol.id,
      });
      expect(res.status).toBe(200);
      const me = await api.call('GET', '/entity_users/me', { token: res.body.access_token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(DEMO_USERS.carol.id);
    });

    it('uses the configured lifetime, and setTokenLifetime for tokens issued afterwards', async () => {
      const short = await startMoniteEmulator({ port: 0, tokenLifetimeSeconds: 60 });
      try {
        const shortApi = new ApiClient(short);
        expect(
          (await shortApi.tokenRequest({ grant_type: 'client_credentials', ...creds })).body.expires_in,
        ).toBe(60);
        short.setTokenLifetime(5);
        expect(
          (await shortApi.tokenRequest({ grant_type: 'client_credentials', ...creds })).body.expires_in,
        ).toBe(5);
        expect(() => short.setTokenLifetime(0)).toThrow(RangeError);
      } finally {
        await short.close();
      }
    });

    it('a token expires by the emulator clock once expires_in has run out', async () => {
      emulator.setTokenLifetime(10);
      const token = await api.userToken('alice');
      emulator.advanceClock(9_000);
      expect((await api.call('GET', '/entity_users/me', { token })).status).toBe(200);
      emulator.advanceClock(1_000);
      const expired = await api.call('GET', '/entity_users/me', { token });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ error: { message: 'Access token has expired' } });
    });

    it.each([
      [
        'an unknown field',
        { grant_type: 'client_credentials', ...creds, scope: 'x' },
        ['body', 'scope'],
        'extra_forbidden',
      ],
      [
        'no client_secret',
        { grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId },
        ['body', 'client_secret'],
        'missing',
      ],
      [
        'a non-UUID client_id',
        { grant_type: 'client_credentials', client_id: 'abc', client_secret: 'x' },
        ['body', 'client_id'],
        'uuid_parsing',
      ],
      ['an unknown grant_type', { grant_type: 'password', ...creds }, ['body', 'grant_type'], 'enum'],
      [
        'entity_user without entity_user_id',
        { grant_type: 'entity_user', ...creds },
        ['body', 'entity_user_id'],
        'missing',
      ],
      [
        'a non-UUID entity_user_id',
        { grant_type: 'entity_user', ...creds, entity_user_id: 'bob' },
        ['body', 'entity_user_id'],
        'uuid_parsing',
      ],
      [
        'a number as client_secret',
        { grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: 5 },
        ['body', 'client_secret'],
        'string_type',
      ],
    ])('422 FastAPI style for %s', async (_case, body, loc, type) => {
      const res = await api.tokenRequest(body);
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual(expect.arrayContaining([{ loc, msg: expect.any(String), type }]));
      expect(emulator.issuedTokens()).toBe(0);
    });

    it('422 for a body that is not JSON, not an object, or missing', async () => {
      const notJson = await api.tokenRequest('{"grant_type":');
      expect(notJson.status).toBe(422);
      expect(notJson.body.detail[0]).toMatchObject({ loc: ['body', 0], type: 'json_invalid' });
      const array = await api.tokenRequest([1, 2]);
      expect(array.status).toBe(422);
      expect(array.body.detail[0]).toMatchObject({ loc: ['body'], type: 'model_attributes_type' });
      const empty = await api.call('POST', '/auth/token');
      expect(empty.status).toBe(422);
      expect(empty.body.detail[0]).toMatchObject({ loc: ['body'], type: 'missing' });
      const form = await api.call('POST', '/auth/token', {
        body: 'grant_type=client_credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(422);
    });

    it('401 for a wrong secret or an unknown client, without quoting either', async () => {
      const wrong = await api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: DEMO_CLIENT.clientId,
        client_secret: 'wrong-secret-123',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: { message: 'Invalid client credentials' } });
      const unknown = await api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: '11111111-1111-4111-8111-111111111111',
        client_secret: DEMO_CLIENT.clientSecret,
      });
      expect(unknown.status).toBe(401);
      expect(unknown.text).not.toContain(DEMO_CLIENT.clientSecret);
      expect(wrong.text).not.toContain('wrong-secret-123');
    });

    it('404 for an entity_user grant naming a user that does not exist', async () => {
      const res = await api.tokenRequest({
        grant_type: 'entity_user',
        ...creds,
        entity_user_id: '00000000-0000-4000-8000-000000009999',
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { message: 'Entity user not found' } });
    });

    it('requires x-monite-version like every /v1 request', async () => {
      const res = await api.tokenRequest({ grant_type: 'client_credentials', ...creds }, { noVersion: true });
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('missing_api_version');
    });

    it('counts requests under the route key', async () => {
      await api.partnerToken();
      await api.tokenRequest({});
      expect(emulator.count('POST /v1/auth/token')).toBe(2);
      expect(emulator.issuedTokens()).toBe(1);
    });
  });

  describe('revoke', () => {
    const revoke = (bearer: string | undefined, body: unknown) =>
      api.call('POST', '/auth/revoke', { body, ...(bearer ? { token: bearer } : {}) });

    it('answers {"message":"ok"}, and the token is refused everywhere afterwards', async () => {
      const token = await api.userToken('alice');
      expect((await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(
        200,
      );
      const res = await revoke(token, { ...creds, token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'ok' });
      const after = await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id });
      expect(after.status).toBe(401);
      expect(after.body).toEqual({ error: { message: 'Access token has been revoked' } });
      expect((await api.call('GET', '/entity_users/me', { token })).status).toBe(401);
      expect((await api.call('GET', '/roles', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(401);
    });

    it('RFC 7009 2.2: revoking an already revoked or an unknown token is 200', async () => {
      const token = await api.partnerToken();
      expect((await revoke(token, { ...creds, token })).status).toBe(200);
      expect((await revoke(token, { ...creds, token })).status).toBe(200);
      const bearer = await api.partnerToken();
      const unknown = await revoke(bearer, { ...creds, token: 'never-issued-token' });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual({ message: 'ok' });
    });

    it('another valid bearer may revoke a token; an invalid other bearer is 401', async () => {
      const target = await api.userToken('bob');
      const bearer = await api.partnerToken();
      expect((await revoke(bearer, { ...creds, token: target })).status).toBe(200);
      expect((await api.call('GET', '/entity_users/me', { token: target })).status).toBe(401);
      const other = await api.userToken('carol');
      const res = await revoke('not-a-token', { ...creds, token: other });
      expect(res.status).toBe(401);
      expect((await api.call('GET', '/entity_users/me', { token: other })).status).toBe(200);
    });

    it('401 without an Authorization header, or with bad client credentials (token kept)', async () => {
      const token = await api.partnerToken();
      const noHeader = await revoke(undefined, { ...creds, token });
      expect(noHeader.status).toBe(401);
      const badCreds = await revoke(token, { client_id: DEMO_CLIENT.clientId, client_secret: 'nope', token });
      expect(badCreds.status).toBe(401);
      expect(badCreds.body).toEqual({ error: { message: 'Invalid client credentials' } });
      expect((await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(
        200,
      );
    });

    it('422 for an invalid body', async () => {
      const token = await api.partnerToken();
      const missing = await revoke(token, { ...creds });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toEqual([
        { loc: ['body', 'token'], msg: 'Field required', type: 'missing' },
      ]);
      const extra = await revoke(token, { ...creds, token, reason: 'x' });
      expect(extra.status).toBe(422);
      expect(extra.body.detail[0]).toMatchObject({ loc: ['body', 'reason'], type: 'extra_forbidden' });
    });

    it('a token issued to another client is left alone (still 200)', async () => {
      const other = { clientId: '00000000-0000-4000-8000-000000000002', clientSecret: 'other-secret' };
      const seed = emulator.seed;
      const two = await startMoniteEmulator({
        port: 0,
        seed: { ...seed, clients: [...seed.clients, other] },
      });
      try {
        const a = new ApiClient(two);
        const b = new ApiClient(two, other);
        const token = await a.partnerToken();
        const bearer = await b.partnerToken();
        const res = await b.call('POST', '/auth/revoke', {
          token: bearer,
          body: { client_id: other.clientId, client_secret: other.clientSecret, token },
        });
        expect(res.status).toBe(200);
        expect((await a.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(
          200,
        );
      } finally {
        await two.close();
      }
    });

    it('the token of a deleted entity user is refused', async () => {
      const token = await api.userToken('frank');
      const partner = await api.partnerToken();
      const del = await api.call('DELETE', `/entity_users/${DEMO_USERS.frank.id}`, {
        token: partner,
        entityId: DEMO_ENTITIES.acme.id,
      });
      expect(del.status).toBe(204);
      expect((await api.call('GET', '/entity_users/me', { token })).status).toBe(401);
    });
  });

  describe('bearer authentication on the API', () => {
    it.each([
      ['no Authorization header', {}, 'Authorization header is missing'],
      [
        'a Basic header',
        { authorization: 'Basic abc' },
        'Authorization header must be "Bearer <access token>"',
      ],
      ['an unknown token', { authorization: 'Bearer made-up' }, 'Access token is not valid'],
    ])('401 with %s', async (_case, headers, message) => {
      const res = await api.call('GET', '/payables', { headers, entityId: DEMO_ENTITIES.acme.id });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message } });
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    });
  });
});
