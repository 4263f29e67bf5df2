/*
 * TEST-CHECKLIST.md "Token endpoint client" (1-5), 22 and 27, against the real emulator over
 * loopback HTTP; 31 checks everything this file made the library say or throw.
 */
import type { MoniteEmulator } from 'monite-emulator';
import {
  MoniteAuthenticationError,
  MoniteConfigurationError,
  MoniteMalformedResponseError,
  MoniteNotFoundError,
  MoniteUnknownEntityUserError,
  MoniteValidationError,
} from 'nestjs-monite-auth';
import { rejection } from '../support/leak-ledger.js';
import {
  CANARY_SECRET,
  CLIENT_ID,
  bootTokens,
  startEmulator,
  userId,
  type TokenHarness,
  canaryLedger,
} from './token-test-kit.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const OAUTH2_ROUTE = 'POST /oauth2/token';

describe('token endpoint client (emulator over loopback)', () => {
  const ledger = canaryLedger();
  let emulator: MoniteEmulator;
  let oauth201: MoniteEmulator;
  let harness: TokenHarness | undefined;

  beforeAll(async () => {
    [emulator, oauth201] = await Promise.all([
      startEmulator(),
      startEmulator(2, { oauth2SuccessStatus: 201 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), oauth201.close()]);
  });
  beforeEach(() => {
    emulator.reset();
    oauth201.reset();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('1: partner grant sends a JSON body with grant_type, client_id, client_secret and x-monite-version, nothing in the URL', async () => {
    harness = await bootTokens(emulator, ledger, { apiVersion: '2024-05-25' });
    const token = await harness.tokens.getPartnerToken();

    expect(token.tokenType).toBe('Bearer');
    expect(token.accessToken.length).toBeGreaterThan(20);
    expect(token.expiresAt).toBe(harness.clock.now() + 1_800_000);
    const [request] = emulator.requests(TOKEN_ROUTE);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    expect(request!.query).toBe('');
    expect(request!.path).toBe('/v1/auth/token');
    expect(request!.headers['x-monite-version']).toBe('2024-05-25');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.headers.authorization).toBeUndefined();
    expect([...request!.bodyFields].sort()).toEqual(['client_id', 'client_secret', 'grant_type']);
  });

  it('1: the entity user grant adds entity_user_id, and the API version is configurable', async () => {
    harness = await bootTokens(emulator, ledger, { apiVersion: '2025-06-23' });
    const token = await harness.tokens.getEntityUserToken(userId(1));

    expect(token.accessToken).toMatch(/^[\x21-\x7e]+$/);
    const [request] = emulator.requests(TOKEN_ROUTE);
    expect(request!.headers['x-monite-version']).toBe('2025-06-23');
    expect([...request!.bodyFields].sort()).toEqual([
      'client_id',
      'client_secret',
      'entity_user_id',
      'grant_type',
    ]);
  });

  it.each([
    ['no id', undefined],
    ['an empty id', ''],
    ['a non-UUID id', 'not-a-uuid'],
    ['a UUID with a suffix', `${userId(1)}x`],
    ['a UUID inside a path', `../${userId(1)}`],
    ['a number', 42],
  ])('2: entity_user grant with %s is rejected before any HTTP call', async (_name, id) => {
    harness = await bootTokens(emulator, ledger);
    const error = await rejection(harness.tokens.getEntityUserToken(id as string), ledger);

    expect(error).toBeInstanceOf(MoniteValidationError);
    expect(error.message).toBe('nestjs-monite-auth: entityUserId must be a UUID');
    expect(emulator.count()).toBe(0);
  });

  it('6: an unknown entity user is a MoniteUnknownEntityUserError (a MoniteNotFoundError), not retried, not cached', async () => {
    harness = await bootTokens(emulator, ledger, { retry: { maxRetries: 3 } });
    const unknown = '00000000-0000-4000-a000-999999999999';
    const error = await rejection(harness.tokens.getEntityUserToken(unknown), ledger);

    expect(error).toBeInstanceOf(MoniteUnknownEntityUserError);
    expect(error).toBeInstanceOf(MoniteNotFoundError);
    expect(error).toMatchObject({ status: 404, moniteMessage: 'Entity user not found' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    await rejection(harness.tokens.getEntityUserToken(unknown), ledger);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('3: OAuth2 profile sends a form body with the scope joined by spaces; 201 is success', async () => {
    harness = await bootTokens(oauth201, ledger, {
      tokenEndpoint: {
        profile: 'oauth2',
        url: oauth201.oauth2TokenUrl,
        scope: ['payables.read', 'payables.write'],
      },
    });
    const sent: string[] = [];
    const received: unknown[] = [];
    tapBodies(harness, sent, received);

    const token = await harness.tokens.getPartnerToken();

    expect(token.accessToken.length).toBeGreaterThan(20);
    expect(oauth201.count(OAUTH2_ROUTE)).toBe(1);
    const [request] = oauth201.requests(OAUTH2_ROUTE);
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.authorization).toBeUndefined();
    expect([...request!.bodyFields].sort()).toEqual(['client_id', 'client_secret', 'grant_type', 'scope']);
    expect(sent[0]).toMatch(
      /^grant_type=client_credentials&scope=payables\.read\+payables\.write&client_id=/,
    );
    // The server parsed the two scopes out of the form: it echoes what it granted.
    expect(received[0]).toMatchObject({ scope: 'payables.read payables.write', token_type: 'Bearer' });
  });

  it('3: OAuth2 profile with a scope string and a 200 answer', async () => {
    harness = await bootTokens(emulator, ledger, {
      tokenEndpoint: { profile: 'oauth2', url: emulator.oauth2TokenUrl, scope: 'accounts' },
    });
    await expect(harness.tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(OAUTH2_ROUTE)).toBe(1);
  });

  it('3: OAuth2 profile has no entity user tokens: a typed error, no request', async () => {
    harness = await bootTokens(emulator, ledger, {
      tokenEndpoint: { profile: 'oauth2', url: emulator.oauth2TokenUrl },
    });
    const error = await rejection(harness.tokens.getEntityUserToken(userId(1)), ledger);
    expect(error).toBeInstanceOf(MoniteConfigurationError);
    expect(emulator.count()).toBe(0);
  });

  it('3: OAuth2 error bodies {error_code, error_message} map to the typed errors', async () => {
    harness = await bootTokens(emulator, ledger, {
      clientSecret: 'wrong-secret',
      tokenEndpoint: { profile: 'oauth2', url: emulator.oauth2TokenUrl },
    });
    const error = await rejection(harness.tokens.getPartnerToken(), ledger);
    expect(error).toBeInstanceOf(MoniteAuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_client',
      moniteMessage: 'Client authentication failed',
    });
    expect(emulator.count(OAUTH2_ROUTE)).toBe(1);
  });

  it('4: Basic credentials: the canary secret with + / : = % ~ and a space round-trips, never also in the body', async () => {
    expect(CANARY_SECRET).toMatch(/\+.*\/.*:.*=.*%.*~ /);
    harness = await bootTokens(oauth201, ledger, {
      tokenEndpoint: { profile: 'oauth2', url: oauth201.oauth2TokenUrl, credentials: 'basic' },
    });
    const sent: string[] = [];
    tapBodies(harness, sent, []);

    await expect(harness.tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });

    const [request] = oauth201.requests(OAUTH2_ROUTE);
    expect(request!.headers.authorization).toMatch(/^Basic /);
    expect(request!.bodyFields).toEqual(['grant_type']);
    expect(sent[0]).toBe('grant_type=client_credentials');
  });

  it('4: a wrong Basic secret is refused (the emulator really checks what was encoded)', async () => {
    harness = await bootTokens(oauth201, ledger, {
      clientSecret: `${CANARY_SECRET}!`,
      tokenEndpoint: { profile: 'oauth2', url: oauth201.oauth2TokenUrl, credentials: 'basic' },
    });
    const error = await rejection(harness.tokens.getPartnerToken(), ledger);
    expect(error).toMatchObject({ name: 'MoniteAuthenticationError', status: 401 });
  });

  it.each([
    ['no access_token', { expires_in: 1800, token_type: 'Bearer' }, /access_token is missing/],
    ['an empty access_token', { access_token: '', expires_in: 1800 }, /access_token is not a token/],
    ['expires_in missing', { access_token: 'abcdefgh', token_type: 'Bearer' }, /expires_in/],
    ['expires_in "1800"', { access_token: 'abcdefgh', expires_in: '1800' }, /expires_in/],
    ['expires_in 0', { access_token: 'abcdefgh', expires_in: 0 }, /expires_in/],
    ['expires_in negative', { access_token: 'abcdefgh', expires_in: -60 }, /expires_in/],
    ['expires_in NaN (JSON null)', { access_token: 'abcdefgh', expires_in: null }, /expires_in/],
    ['expires_in "NaN"', { access_token: 'abcdefgh', expires_in: 'NaN' }, /expires_in/],
    ['token_type "mac"', { access_token: 'abcdefgh', expires_in: 1800, token_type: 'mac' }, /token_type/],
    ['a JSON array', [{ access_token: 'abcdefgh', expires_in: 1800 }], /not a JSON object/],
  ])(
    '5: a 200 with %s is a MoniteMalformedResponseError and nothing is cached',
    async (_name, body, problem) => {
      harness = await bootTokens(emulator, ledger);
      emulator.fault(TOKEN_ROUTE, { status: 200, body });

      const error = await rejection(harness.tokens.getPartnerToken(), ledger);

      expect(error).toBeInstanceOf(MoniteMalformedResponseError);
      expect(error.message).toMatch(problem);
      expect(emulator.count(TOKEN_ROUTE)).toBe(1);
      // Nothing cached: the next call asks again and gets a real token.
      const token = await harness.tokens.getPartnerToken();
      expect(token.accessToken).not.toBe('abcdefgh');
      expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    },
  );

  it('5: an HTML page with 200 is a MoniteMalformedResponseError and nothing is cached', async () => {
    harness = await bootTokens(emulator, ledger);
    emulator.fault(TOKEN_ROUTE, { malformed: true });

    const error = await rejection(harness.tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteMalformedResponseError);
    expect(error).toMatchObject({ status: 200 });
    expect(error.message).toMatch(/not JSON/);
    await harness.tokens.getPartnerToken();
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('22: 401 on the token endpoint (bad credentials): no retry at all', async () => {
    harness = await bootTokens(emulator, ledger, {
      clientSecret: 'not-the-secret',
      retry: { maxRetries: 5 },
    });
    const error = await rejection(harness.tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteAuthenticationError);
    expect(error).toMatchObject({ status: 401, moniteMessage: 'Invalid client credentials' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    expect(harness.clock.sleeps).toEqual([]);
  });

  it('22: 400 on the token endpoint: no retry at all', async () => {
    harness = await bootTokens(emulator, ledger, { retry: { maxRetries: 5 } });
    emulator.fault(TOKEN_ROUTE, { status: 400 });
    const error = await rejection(harness.tokens.getPartnerToken(), ledger);

    expect(error).toBeInstanceOf(MoniteAuthenticationError);
    expect(error).toMatchObject({ status: 400 });
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
  });

  it('22: 422 (and an API version the server does not know, 400) are validation errors, never retried', async () => {
    harness = await bootTokens(emulator, ledger, { retry: { maxRetries: 5 } });
    emulator.fault(TOKEN_ROUTE, { status: 422 });
    const unprocessable = await rejection(harness.tokens.getPartnerToken(), ledger);
    expect(unprocessable).toBeInstanceOf(MoniteValidationError);
    expect(unprocessable).toMatchObject({ status: 422, moniteMessage: 'body: Unprocessable Entity' });
    await harness.close();

    harness = await bootTokens(emulator, ledger, { apiVersion: '2099-01-01', retry: { maxRetries: 5 } });
    const version = await rejection(harness.tokens.getPartnerToken(), ledger);
    expect(version).toBeInstanceOf(MoniteValidationError);
    expect(version).toMatchObject({ status: 400, code: 'invalid_api_version' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('27: the token endpoint answering 401 causes no recursive refresh; the failure is not cached', async () => {
    harness = await bootTokens(emulator, ledger);
    emulator.fault(TOKEN_ROUTE, { status: 401 });

    const results = await Promise.allSettled([
      harness.tokens.getPartnerToken(),
      harness.tokens.getPartnerToken(),
    ]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const result of results) ledger.recordError((result as PromiseRejectedResult).reason);
    expect(emulator.count(TOKEN_ROUTE)).toBe(1);
    expect(ledger.events.filter((e) => e.startsWith('onTokenFailed')).length).toBeGreaterThan(0);
    // The next call is a fresh attempt, which succeeds.
    await expect(harness.tokens.getPartnerToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
  });

  it('31: no secret, token, Authorization value or base64 credentials in any log line, hook event or error', () => {
    expect(ledger.tokens.size).toBeGreaterThan(5);
    expect(ledger.errors.length).toBeGreaterThan(20);
    expect(ledger.lines('warn').length).toBeGreaterThan(5);
    expect(ledger.lines('debug').length).toBeGreaterThan(5);
    expect(ledger.events.length).toBeGreaterThan(5);
    expect([...ledger.secrets].some((s) => s.startsWith('Basic '))).toBe(true);
    expect(ledger.leaks()).toEqual([]);
    // The check itself finds a planted secret.
    const control = canaryLedger();
    control.warn(`oops ${CANARY_SECRET}`, 'MoniteAuth');
    expect(control.leaks().length).toBeGreaterThan(0);
    expect(CLIENT_ID).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** Records the raw request bodies and parsed response bodies crossing the wire. */
function tapBodies(harness: TokenHarness, sent: string[], received: unknown[]): void {
  harness.tap(
    (body) => sent.push(body),
    (body) => received.push(JSON.parse(body)),
  );
}
