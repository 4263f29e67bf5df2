import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_PAYABLES, DEMO_SEED, DEMO_USERS } from './demo-seed.js';
import { startMoniteEmulator } from './emulator.js';
import type { MoniteEmulator } from './emulator.types.js';
import * as publicApi from './index.js';
import { ApiClient } from './testing/api-client.js';

describe('startMoniteEmulator (programmatic API)', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());

  it('listens on 127.0.0.1 with a /v1 base URL and loads the demo seed by default', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(emulator.seed).toEqual(DEMO_SEED);
    expect((await api.partnerToken()).length).toBeGreaterThan(0);
  });

  it('exposes the seed as a deep copy', () => {
    const copy = emulator.seed;
    copy.entities[0]!.name = 'changed';
    expect(emulator.seed.entities[0]!.name).toBe(DEMO_ENTITIES.acme.name);
  });

  it('takes a seed object or a seed file path', async () => {
    const seed = { ...DEMO_SEED, payables: [] };
    const dir = mkdtempSync(join(tmpdir(), 'monite-emulator-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(seed));
    for (const source of [seed, file]) {
      const own = await startMoniteEmulator({ port: 0, seed: source });
      try {
        const ownApi = new ApiClient(own);
        const res = await ownApi.call('GET', '/payables', {
          token: await ownApi.partnerToken(),
          entityId: DEMO_ENTITIES.acme.id,
        });
        expect(res.body.data).toEqual([]);
      } finally {
        await own.close();
      }
    }
  });

  it('refuses bad options before listening', async () => {
    await expect(startMoniteEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
    await expect(startMoniteEmulator({ tokenLifetimeSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(startMoniteEmulator({ oauth2SuccessStatus: 204 as 200 })).rejects.toThrow(RangeError);
    await expect(startMoniteEmulator({ rateLimitPerSecond: 0 })).rejects.toThrow(RangeError);
    await expect(startMoniteEmulator({ seed: { clients: [] } as never })).rejects.toThrow(
      /Invalid emulator seed/,
    );
  });

  it('reports a port in use', async () => {
    const port = Number(new URL(emulator.url).port);
    await expect(startMoniteEmulator({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('reset() restores data, tokens, clock and lifetime', async () => {
    const token = await api.partnerToken();
    await api.call('DELETE', `/payables/${DEMO_PAYABLES.carolNew.id}`, {
      token,
      entityId: DEMO_ENTITIES.acme.id,
    });
    expect(emulator.getPayable(DEMO_PAYABLES.carolNew.id)).toBeUndefined();
    emulator.setTokenLifetime(5);
    emulator.advanceClock(3_600_000);
    emulator.reset();
    expect(emulator.count()).toBe(0);
    expect(emulator.issuedTokens()).toBe(0);
    expect(emulator.getPayable(DEMO_PAYABLES.carolNew.id)).toMatchObject({
      id: DEMO_PAYABLES.carolNew.id,
      status: 'new',
    });
    expect((await api.call('GET', '/payables', { token, entityId: DEMO_ENTITIES.acme.id })).status).toBe(401);
    expect(
      (
        await api.tokenRequest({
          grant_type: 'client_credentials',
          client_id: DEMO_CLIENT.clientId,
          client_secret: DEMO_CLIENT.clientSecret,
        })
      ).body.expires_in,
    ).toBe(1800);
  });

  it('issueToken mints working partner and entity-user tokens without HTTP', async () => {
    const before = emulator.count('POST /v1/auth/token');
    const partner = emulator.issueToken();
    expect(partner).toEqual({ access_token: expect.any(String), expires_in: 1800, token_type: 'Bearer' });
    const carol = emulator.issueToken({ entityUserId: DEMO_USERS.carol.id });
    const me = await api.call('GET', '/entity_users/me', { token: carol.access_token });
    expect(me.body.id).toBe(DEMO_USERS.carol.id);
    expect(
      (await api.call('GET', '/payables', { token: partner.access_token, entityId: DEMO_ENTITIES.acme.id }))
        .status,
    ).toBe(200);
    expect(() => emulator.issueToken({ entityUserId: '00000000-0000-4000-8000-000000009999' })).toThrow(
      /no entity user/,
    );
    expect(emulator.count('POST /v1/auth/token')).toBe(before);
  });

  it('the package entry exports the contract and the demo constants', () => {
    expect(Object.keys(publicApi).sort()).toEqual(
      [
        'DEMO_CLIENT',
        'DEMO_ENTITIES',
        'DEMO_PAYABLES',
        'DEMO_ROLES',
        'DEMO_SEED',
        'DEMO_USERS',
        'MONITE_API_VERSIONS',
        'EMULATOR_PERMISSION_MATRIX',
        'DEMO_OBJECTS',
        'PAYABLE_STATUSES',
        'SeedError',
        'loadSeed',
        'startMoniteEmulator',
      ].sort(),
    );
  });
});
