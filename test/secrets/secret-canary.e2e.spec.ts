/*
 * Checklist 42: nothing secret is reachable by inspection. Each configuration (security model x
 * token profile x store, registered each way) is booted against the emulator and a real Redis,
 * made to fetch, refresh, revoke, invalidate and fail in every way it can, and then everything it
 * holds (every provider of the container, the store), every token it handed out, every error and
 * hook event and every log line is rendered with `util.inspect` at unlimited depth (hidden
 * properties, getters, no custom views), `JSON.stringify` and `String()`, and searched for the
 * client secret in each wire form, the derived and configured keys, and every issued token.
 */
import { inspect } from 'node:util';
import type { MoniteEmulator } from 'monite-emulator';
import { moniteAsPartner, type MoniteAccessToken, type MoniteEntityUserRef } from 'nestjs-monite-auth';
import { RedisServer } from '../redis/redis-server.js';
import { findSecrets } from '../support/leak-ledger.js';
import { reachableObjects, shallowRenderings, textsWithSecrets } from './object-walk.js';
import { CANARY_SECRET, ENTITY_ID, startEmulator, userId } from '../tokens/token-test-kit.js';
import {
  CanaryLog,
  CanarySecrets,
  bootCanary,
  canaryConfigs,
  heldByModule,
  renderings,
  type CanaryConfig,
  type CanaryModule,
} from './canary-kit.js';

const LIST_ROUTE = 'GET /v1/payables';
const UNKNOWN_USER = '00000000-0000-4000-a000-999999999999';

describe('42: nothing secret is reachable by inspection, in any configuration', () => {
  let emulator: MoniteEmulator;
  let redis: RedisServer;

  beforeAll(async () => {
    [emulator, redis] = await Promise.all([startEmulator(20), RedisServer.start()]);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), redis.stop()]);
  });
  beforeEach(() => emulator.reset());

  it.each(canaryConfigs().map((config) => [describeConfig(config), config] as const))(
    '42: %s',
    async (_name, config) => {
      const secrets = new CanarySecrets();
      const log = new CanaryLog();
      const errors: unknown[] = [];
      const handedOut: MoniteAccessToken[] = [];
      const canary = await bootCanary(config, emulator, redis, secrets, log, errors);
      try {
        await exercise(config, canary, emulator, handedOut, errors);
        expect(secrets.tokens.size).toBeGreaterThanOrEqual(2);

        const texts: string[] = [...log.lines];
        const { container, providers } = heldByModule(canary);
        const objects = reachableObjects([container, ...providers, ...errors]);
        texts.push(...shallowRenderings(objects));
        for (const root of [...providers, ...errors]) texts.push(...renderings(root));
        for (const error of errors)
          texts.push(String((error as Error)?.stack), String((error as Error)?.message));
        // A token handed out is the caller's to send (its JSON is the token); logged by mistake, it shows redacted.
        for (const token of handedOut) texts.push(inspect(token, { depth: Infinity }), String(token));

        expect(textsWithSecrets(texts, secrets.values)).toEqual([]);
      } finally {
        await canary.close();
      }
    },
  );

  it.each(['monite-managed', 'partner-managed', 'hybrid'] as const)(
    '42/49: a bearer token Monite echoes in a MoniteClient error shows in no rendering of the error (%s)',
    async (model) => {
      const secrets = new CanarySecrets();
      const errors: unknown[] = [];
      const config: CanaryConfig = { model, profile: 'monite', store: 'memory', registration: 'forRoot' };
      const canary = await bootCanary(config, emulator, redis, secrets, new CanaryLog(), errors);
      try {
        const user = { entityUserId: userId(1), entityId: ENTITY_ID };
        // The token MoniteClient makes the call with, in this security model.
        const { accessToken: bearer } =
          model === 'partner-managed'
            ? await canary.tokens.getPartnerToken()
            : await canary.tokens.getEntityUserToken(user.entityUserId);
        emulator.fault(LIST_ROUTE, {
          status: 403,
          body: { error: { message: `not allowed for ${bearer}` } },
        });
        const error = await canary.client.get('/payables', { user }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(Error);
        const texts = [...renderings(error), String((error as Error).stack)];
        texts.push(...shallowRenderings(reachableObjects([error])));
        expect(textsWithSecrets(texts, secrets.values)).toEqual([]);
      } finally {
        await canary.close();
      }
    },
  );

  it('42: the search finds a planted secret in every form it looks for', () => {
    const secrets = new CanarySecrets();
    secrets.addToken('tok-planted-0123456789');
    const planted = { nested: { deeper: [{ value: `x${encodeURIComponent(CANARY_SECRET)}y` }] } };
    expect(findSecrets(renderings(planted), secrets.values).length).toBeGreaterThan(0);
    expect(
      findSecrets(renderings(new Map([['tok-planted-0123456789', 1]])), secrets.values).length,
    ).toBeGreaterThan(0);
  });
});

function describeConfig(config: CanaryConfig): string {
  return `${config.model}, ${config.profile} profile, ${config.store} store, ${config.registration}`;
}

/** Drives one configuration through every success and failure it supports, keeping what comes out. */
async function exercise(
  config: CanaryConfig,
  { tokens, client, clock }: CanaryModule,
  emulator: MoniteEmulator,
  handedOut: MoniteAccessToken[],
  errors: unknown[],
): Promise<void> {
  const monite = config.profile === 'monite';
  const tokenRoute = monite ? 'POST /v1/auth/token' : 'POST /oauth2/token';
  const keep = async <T>(promise: Promise<T>): Promise<T | undefined> => {
    try {
      const value = await promise;
      if (isToken(value)) handedOut.push(value);
      return value;
    } catch (error) {
      errors.push(error);
      return undefined;
    }
  };
  let nextUser = 3;
  /** A call that must ask the token endpoint: a new entity user, or the partner after an eviction. */
  const freshTokenCall = async () => {
    if (monite) return keep(tokens.getEntityUserToken(userId(nextUser++)));
    const partner = await keep(tokens.getPartnerToken());
    if (partner) await keep(tokens.evictToken(partner.accessToken));
    return keep(tokens.getPartnerToken());
  };
  const user: MoniteEntityUserRef = { entityUserId: userId(1), entityId: ENTITY_ID };

  // Successes: partner and user tokens (two spellings of one id), a refresh, calls through MoniteClient.
  const partner = await keep(tokens.getPartnerToken());
  await keep(tokens.getPartnerToken());
  if (monite) {
    await keep(tokens.getEntityUserToken(userId(1)));
    await keep(tokens.getEntityUserToken(userId(2).toUpperCase(), { entityId: ENTITY_ID }));
  }
  clock.advance(1_800_000 - 30_000);
  await keep(tokens.getPartnerToken()); // past the refresh point: a background refresh
  await keep(client.get('/payables', { user }));
  await keep(client.get('/payables', { user: moniteAsPartner(ENTITY_ID) } as never));

  // The token endpoint fails every way it can, echoing the secret where a server could.
  const echoes = [
    { status: 401, body: { error: { message: `bad client secret ${CANARY_SECRET}` } } },
    { status: 400, body: { error: { message: `${'x'.repeat(290)}${CANARY_SECRET}` } } },
    {
      status: 400,
      body: { error_code: 'invalid_client', error_message: `got ${encodeURIComponent(CANARY_SECRET)}` },
    },
    {
      status: 422,
      body: {
        detail: [{ loc: ['body', 'client_secret'], msg: `bad ${CANARY_SECRET}`, input: CANARY_SECRET }],
      },
    },
    { status: 403, body: { error: { message: 'not for you', type: CANARY_SECRET } } },
  ];
  for (const fault of echoes) {
    emulator.fault(tokenRoute, fault);
    await freshTokenCall();
  }
  for (const fault of [{ status: 503 }, { malformed: true }, { hang: true }, { reset: true }] as const) {
    emulator.fault(tokenRoute, fault);
    emulator.fault(tokenRoute, fault);
    await freshTokenCall();
  }
  emulator.fault(tokenRoute, { status: 200, body: { access_token: 'has spaces', expires_in: 1800 } });
  await freshTokenCall();
  if (monite) await keep(tokens.getEntityUserToken(UNKNOWN_USER));
  await keep(tokens.getEntityUserToken('not-a-uuid'));
  await keep(tokens.revokeToken('not a token'));

  // Calls through MoniteClient that Monite refuses.
  const clientFaults = [
    { status: 403, body: { error: { message: 'Action read for payable not allowed' } } },
    { status: 404 },
    { status: 422, body: { detail: [{ loc: ['query', 'limit'], msg: 'too big' }] } },
    { status: 500 },
    { status: 429, retryAfter: '1' },
    { status: 401 },
    { hang: true },
  ];
  for (const fault of clientFaults) {
    emulator.fault(LIST_ROUTE, fault);
    if (fault.status === 401) emulator.fault(LIST_ROUTE, fault);
    await keep(client.get('/payables', { user, timeoutMs: 150 }));
  }

  // Revocation: a success, an unknown token, a failure; invalidation and eviction by hint.
  const revocable = await freshTokenCall();
  if (revocable) await keep(tokens.revokeToken(revocable.accessToken));
  await keep(tokens.revokeToken('never-issued-token-0123456789'));
  const failing = await freshTokenCall();
  emulator.fault('POST /v1/auth/revoke', {
    status: 503,
    body: { error: { message: `no ${CANARY_SECRET}` } },
  });
  emulator.fault('POST /v1/auth/revoke', { status: 503 });
  if (failing) await keep(tokens.revokeToken(failing.accessToken));
  await keep(tokens.invalidateEntityUser(userId(1).toUpperCase()));
  await keep(tokens.invalidateEntity(ENTITY_ID));
  if (partner) await keep(tokens.evictToken(partner.accessToken, { entityUserId: undefined }));

  // A 429 over the cap ends the retries and opens a window in which new tokens fail at once.
  emulator.fault(tokenRoute, { status: 429, retryAfter: '3600' });
  await freshTokenCall();
  await freshTokenCall();
}

function isToken(value: unknown): value is MoniteAccessToken {
  return typeof value === 'object' && value !== null && 'accessToken' in value;
}
