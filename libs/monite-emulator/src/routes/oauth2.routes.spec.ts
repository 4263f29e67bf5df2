import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_SEED } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator, SeedClient } from '../emulator.types.js';
import { ApiClient, basicAuth } from '../testing/api-client.js';

/** RFC 6749 2.3.1's example client, plus one whose secret holds every character that needs encoding. */
const RFC_CLIENT: SeedClient = {
  clientId: '00000000-0000-4000-8000-00000000000a',
  clientSecret: '7Fjfp0ZBr1KtDRbnfVdmIw',
};
const SPECIAL_CLIENT: SeedClient = {
  clientId: '00000000-0000-4000-8000-00000000000b',
  clientSecret: 'a+b/c:d=e%f~g h',
};

describe('POST /oauth2/token (OAuth2 client-credentials profile)', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  const body = {
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT.clientId,
    client_secret: DEMO_CLIENT.clientSecret,
  };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({
      port: 0,
      seed: { ...DEMO_SEED, clients: [...DEMO_SEED.clients, RFC_CLIENT, SPECIAL_CLIENT] },
    });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('is served at oauth2TokenUrl, beside /v1', () => {
    expect(emulator.oauth2TokenUrl).toBe(emulator.url.replace(/\/v1$/, '/oauth2/token'));
  });

  it('accepts credentials in the form body, without x-monite-version', async () => {
    const res = await api.oauth2(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 1800 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(emulator.count('POST /oauth2/token')).toBe(1);
  });

  it('issues a partner token valid on the rest of the API', async () => {
    const { body: token } = await api.oauth2(body);
    const res = await api.call('GET', '/payables', {
      token: token.access_token,
      entityId: DEMO_ENTITIES.acme.id,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
  });

  it("accepts HTTP Basic; RFC 6749's example encodes to czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3", async () => {
    expect(basicAuth('s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw')).toBe(
      'Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3',
    );
    const res = await api.oauth2(
      { grant_type: 'client_credentials' },
      { authorization: basicAuth(RFC_CLIENT.clientId, RFC_CLIENT.clientSecret) },
    );
    expect(res.status).toBe(200);
  });

  it('decodes then percent-decodes each Basic part, so a secret with + / : = % ~ and a space works', async () => {
    const res = await api.oauth2(
      { grant_type: 'client_credentials' },
      { authorization: basicAuth(SPECIAL_CLIENT.clientId, SPECIAL_CLIENT.clientSecret) },
    );
    expect(res.status).toBe(200);
    const inBody = await api.oauth2({
      grant_type: 'client_credentials',
      client_id: SPECIAL_CLIENT.clientId,
      client_secret: SPECIAL_CLIENT.clientSecret,
    });
    expect(inBody.status).toBe(200);
    // Without URL-encoding first, the raw secret is not what RFC 6749 asks for: refused.
    const raw = `Basic ${Buffer.from(`${SPECIAL_CLIENT.clientId}:${SPECIAL_CLIENT.clientSecret}`).toString('base64')}`;
    expect((await api.oauth2({ grant_type: 'client_credentials' }, { authorization: raw })).status).not.toBe(
      200,
    );
  });

  it('400 invalid_request when credentials come both in Basic and in the body', async () => {
    const res = await api.oauth2(body, {
      authorization: basicAuth(DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'invalid_request', error_message: expect.any(String) });
  });

  it('401 invalid_client for bad credentials, with a Basic challenge when Basic was used', async () => {
    const res = await api.oauth2({ ...body, client_secret: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_code: 'invalid_client', error_message: 'Client authentication failed' });
    const basic = await api.oauth2(
      { grant_type: 'client_credentials' },
      { authorization: basicAuth(DEMO_CLIENT.clientId, 'wrong') },
    );
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toContain('Basic');
    const none = await api.oauth2({ grant_type: 'client_credentials' });
    expect(none.status).toBe(401);
    expect(none.body.error_code).toBe('invalid_client');
  });

  it.each([
    [
      'a missing grant_type',
      { client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret },
      'invalid_request',
    ],
    ['another grant_type', { ...body, grant_type: 'password' }, 'unsupported_grant_type'],
    [
      'a repeated parameter',
      'grant_type=client_credentials&grant_type=client_credentials',
      'invalid_request',
    ],
    ['a malformed scope', { ...body, scope: 'read "write"' }, 'invalid_scope'],
  ])('400 for %s', async (_case, form, code) => {
    const res = await api.oauth2(form as Record<string, string> | string);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe(code);
  });

  it('400 invalid_request for a JSON body or a malformed Basic header', async () => {
    const json = await fetch(emulator.oauth2TokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error_code: string }).error_code).toBe('invalid_request');
    const bad = await api.oauth2({ grant_type: 'client_credentials' }, { authorization: 'Basic !!!' });
    expect(bad.status).toBe(400);
    const noColon = await api.oauth2(
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from('abc').toString('base64')}` },
    );
    expect(noColon.status).toBe(400);
  });

  it('echoes the accepted scope (space-separated)', async () => {
    const res = await api.oauth2({ ...body, scope: 'payables:read  roles:read' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('payables:read roles:read');
  });

  it('answers 201 when oauth2SuccessStatus is 201', async () => {
    const created = await startMoniteEmulator({ port: 0, oauth2SuccessStatus: 201 });
    try {
      const res = await new ApiClient(created).oauth2(body);
      expect(res.status).toBe(201);
      expect(res.body.token_type).toBe('Bearer');
    } finally {
      await created.close();
    }
  });
});
