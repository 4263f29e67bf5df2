import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_ENTITIES, DEMO_SEED, DEMO_USERS } from './demo-seed.js';
import { startMoniteEmulator } from './emulator.js';
import type { MoniteEmulator, SeedClient } from './emulator.types.js';
import { ApiClient, basicAuth, type ApiResponse } from './testing/api-client.js';

/** A unique client secret, searched for in every answer and log line afterwards. */
const CANARY = 'canary-3b1f0c9e+/:=%~-not-a-real-secret';
const CLIENT: SeedClient = { clientId: '00000000-0000-4000-8000-0000000000c1', clientSecret: CANARY };

describe('31: the emulator never echoes a secret or a token', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  const lines: string[] = [];
  const answers: { label: string; res: ApiResponse }[] = [];
  const tokens: string[] = [];

  const record = async (label: string, pending: Promise<ApiResponse>): Promise<ApiResponse> => {
    const res = await pending;
    answers.push({ label, res });
    return res;
  };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({
      port: 0,
      seed: { ...DEMO_SEED, clients: [CLIENT] },
      log: (line) => lines.push(line),
      rateLimitPerSecond: 1000,
    });
    api = new ApiClient(emulator, CLIENT);
    const acme = DEMO_ENTITIES.acme.id;
    const creds = { client_id: CLIENT.clientId, client_secret: CANARY };

    const partner = (await api.tokenRequest({ grant_type: 'client_credentials', ...creds })).body
      .access_token as string;
    const user = (
      await api.tokenRequest({ grant_type: 'entity_user', ...creds, entity_user_id: DEMO_USERS.carol.id })
    ).body.access_token as string;
    const oauth = (
      await api.oauth2(
        { grant_type: 'client_credentials' },
        { authorization: basicAuth(CLIENT.clientId, CANARY) },
      )
    ).body.access_token as string;
    tokens.push(partner, user, oauth);

    // Failures that carry the secret or a token in the request, one way or another.
    await record(
      'wrong secret',
      api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: `${CANARY}x`,
      }),
    );
    await record(
      'secret as the id',
      api.tokenRequest({ grant_type: 'client_credentials', client_id: CANARY, client_secret: CANARY }),
    );
    await record(
      'secret in an extra field',
      api.tokenRequest({ grant_type: 'client_credentials', ...creds, extra: CANARY }),
    );
    await record('secret as grant_type', api.tokenRequest({ grant_type: CANARY, ...creds }));
    await record(
      'secret as entity_user_id',
      api.tokenRequest({ grant_type: 'entity_user', ...creds, entity_user_id: CANARY }),
    );
    await record('secret in broken JSON', api.tokenRequest(`{"client_secret": "${CANARY}"`));
    await record('oauth2 body', api.oauth2({ grant_type: 'client_credentials', ...creds }));
    await record(
      'oauth2 both',
      api.oauth2(
        { grant_type: 'client_credentials', ...creds },
        { authorization: basicAuth(CLIENT.clientId, CANARY) },
      ),
    );
    await record(
      'oauth2 wrong basic',
      api.oauth2(
        { grant_type: 'client_credentials' },
        { authorization: basicAuth(CLIENT.clientId, `${CANARY}x`) },
      ),
    );
    await record('oauth2 secret as grant', api.oauth2({ grant_type: CANARY, ...creds }));
    await record(
      'oauth2 secret as param name',
      api.oauth2(
        `grant_type=client_credentials&${encodeURIComponent(CANARY)}=1&${encodeURIComponent(CANARY)}=2`,
      ),
    );
    await record(
      'oauth2 secret as scope',
      api.oauth2({ grant_type: 'client_credentials', ...creds, scope: `"${CANARY}"` }),
    );
    await record(
      'revoke bad creds',
      api.call('POST', '/auth/revoke', {
        token: partner,
        body: { client_id: CLIENT.clientId, client_secret: `${CANARY}x`, token: user },
      }),
    );
    await record(
      'revoke extra',
      api.call('POST', '/auth/revoke', { token: partner, body: { ...creds, token: user, x: CANARY } }),
    );
    await record(
      'token in the path',
      api.call('GET', `/payables/${partner}`, { token: partner, entityId: acme }),
    );
    await record(
      'token in the query',
      api.call('GET', `/payables?pagination_token=${partner}`, { token: partner, entityId: acme }),
    );
    await record('token as entity id', api.call('GET', '/payables', { token: partner, entityId: user }));
    await record(
      'secret in an unknown path',
      api.call('GET', `/${encodeURIComponent(CANARY)}`, { token: partner }),
    );
    await record(
      'secret in a body field',
      api.call('POST', '/payables', { token: user, entityId: acme, body: { amount: 1, currency: CANARY } }),
    );
    await record(
      'secret as version',
      api.call('GET', '/entity_users/me', { token: user, headers: { 'x-monite-version': CANARY } }),
    );
    await record('me', api.call('GET', '/entity_users/me', { token: user }));
    await record('payables', api.call('GET', '/payables', { token: user, entityId: acme }));
    await record(
      'revoke ok',
      api.call('POST', '/auth/revoke', { token: user, body: { ...creds, token: user } }),
    );
    await record('revoked token', api.call('GET', '/entity_users/me', { token: user }));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the last log lines are written on socket close
  });
  afterAll(() => emulator.close());

  it('the scenario produced answers and log lines', () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(lines.length).toBeGreaterThanOrEqual(answers.length);
    expect(tokens.every((t) => typeof t === 'string' && t.length > 20)).toBe(true);
  });

  it('no answer body or header holds the canary or an issued token', () => {
    for (const { label, res } of answers) {
      const everything = `${res.text}\n${JSON.stringify([...res.headers])}`;
      expect({ label, leaked: everything.includes(CANARY) }).toEqual({ label, leaked: false });
      for (const token of tokens)
        expect({ label, leaked: everything.includes(token) }).toEqual({ label, leaked: false });
      // Nor the encoded forms of the secret.
      expect(everything).not.toContain(encodeURIComponent(CANARY));
      expect(everything).not.toContain(basicAuth(CLIENT.clientId, CANARY).slice(6));
    }
  });

  it('no log line holds the canary, its encodings or an issued token', () => {
    const log = lines.join('\n');
    expect(log).not.toContain(CANARY);
    expect(log).not.toContain(encodeURIComponent(CANARY));
    expect(log).not.toContain(basicAuth(CLIENT.clientId, CANARY).slice(6));
    for (const token of tokens) expect(log).not.toContain(token);
  });

  it('the request history keeps no Authorization value and no body value', () => {
    const history = JSON.stringify(emulator.requests());
    for (const token of tokens) expect(history).not.toContain(`Bearer ${token}`);
    expect(history).not.toContain(basicAuth(CLIENT.clientId, CANARY).slice(6));
    // Token and revoke requests carried the secret and tokens only in the body and Authorization.
    const credentialRoutes = JSON.stringify([
      ...emulator.requests('POST /v1/auth/token'),
      ...emulator.requests('POST /v1/auth/revoke'),
    ]);
    expect(credentialRoutes).not.toContain(CANARY);
    for (const token of tokens) expect(credentialRoutes).not.toContain(token);
  });
});
