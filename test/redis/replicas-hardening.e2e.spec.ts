/*
 * The hardening cases across real processes: Nest apps (Express and Fastify) booting the BUILT
 * library, sharing one real redis-server, against one emulator. Checklist 45 (a revocation on one
 * replica drops the user's cached role on every replica), 50 (a write held up on the link and a
 * revocation meanwhile) and 51 (a key rotation across two replicas), and that a role-cache hit
 * costs no Redis command.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MoniteEmulator } from 'monite-emulator';
import {
  CANARY_SECRET,
  CLIENT_ID,
  ENTITY_ID,
  settle,
  startEmulator,
  userId,
  whoAmI,
} from '../tokens/token-test-kit.js';
import { buildLibraryIfStale } from './build-library.js';
import { LatencyProxy } from './latency-proxy.js';
import { RedisServer } from './redis-server.js';
import { Replica, type ReplicaSettings } from './replica-process.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const ROLE_ROUTE = 'GET /v1/entity_users/my_role';
const READ_PAYABLES = {
  objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' as const }] }],
};
const NOTHING = { objects: [] };

/** Redis commands served since the last `CONFIG RESETSTAT`, by name (`get`, `eval` ...). */
async function commandCounts(admin: Redis): Promise<Record<string, number>> {
  const info = (await admin.info('commandstats')) as string;
  const counts: Record<string, number> = {};
  for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    counts[name!] = Number(calls);
  return counts;
}

describe('replicas: hardening across processes sharing one Redis', () => {
  let redis: RedisServer;
  let emulator: MoniteEmulator;
  let admin: Redis;
  const spawned: Replica[] = [];

  const spawn = async (settings: Partial<ReplicaSettings>[]): Promise<Replica[]> => {
    const started = await Promise.all(
      settings.map((own, i) =>
        Replica.spawn({
          adapter: i % 2 === 0 ? 'express' : 'fastify',
          apiUrl: emulator.url,
          clientId: CLIENT_ID,
          clientSecret: CANARY_SECRET,
          redisPort: redis.port,
          ...own,
        }),
      ),
    );
    spawned.push(...started);
    for (const replica of started) {
      const deadline = performance.now() + 10_000;
      while (!(await replica.get<{ listening: boolean }>('/health')).listening) {
        if (performance.now() > deadline) throw new Error('a replica does not listen for invalidations');
        await settle(20);
      }
    }
    return started;
  };

  beforeAll(async () => {
    buildLibraryIfStale();
    redis = await RedisServer.start();
    admin = redis.client();
    emulator = await startEmulator(20);
  }, 90_000);
  afterEach(async () => {
    await Promise.all(spawned.splice(0).map((replica) => replica.kill()));
  });
  afterAll(async () => {
    admin?.disconnect();
    await emulator?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    await admin.flushall();
  });

  it('45: revoked on B, minted on A: the user’s cached role is dropped on A and B within 1 s; a cached role costs no Redis command', async () => {
    const [a, b] = await spawn([{}, {}]);
    const user = { 'x-user': userId(7), 'x-entity': ENTITY_ID };
    const token = await a.token(`/token/user/${userId(7)}`); // minted on A
    const roleId = (
      (await (
        await fetch(`${emulator.url}/entity_users/my_role`, {
          headers: { authorization: `Bearer ${token}`, 'x-monite-version': '2024-05-25' },
        })
      ).json()) as { id: string }
    ).id;
    emulator.setRolePermissions(roleId, READ_PAYABLES);
    try {
      const loads = () => emulator.count(ROLE_ROUTE);
      const before = loads();
      expect(await a.status('/guarded', user)).toBe(200);
      expect(await b.status('/guarded', user)).toBe(200);
      expect(loads() - before).toBe(2); // one role load per replica

      // The role is downgraded in Monite; the replicas still serve the cached one, from memory only.
      emulator.setRolePermissions(roleId, NOTHING);
      await admin.config('RESETSTAT');
      for (let i = 0; i < 10; i++) {
        expect(await a.status('/guarded', user)).toBe(200);
        expect(await b.status('/guarded', user)).toBe(200);
      }
      expect(loads() - before).toBe(2);
      const commands = await commandCounts(admin);
      expect(
        Object.keys(commands).filter((name) => !['config', 'info'].includes(name.split('|')[0]!)),
      ).toEqual([]);

      // The user logs out on B, with the token A minted.
      expect(await b.post('/token/revoke', { token })).toBe(204);
      expect(await b.status('/guarded', user)).toBe(403); // on B: at once
      const revokedAt = performance.now();
      while ((await a.status('/guarded', user)) === 200) {
        if (performance.now() - revokedAt > 1_000)
          throw new Error('A still serves the dropped role after 1 s');
        await settle(10);
      }
      expect(await a.status('/guarded', user)).toBe(403);
      expect(loads() - before).toBe(4); // each replica loaded the role once more, no more
      await expect(whoAmI(emulator, token)).resolves.toMatchObject({ status: 401 });
    } finally {
      emulator.setRolePermissions(roleId, NOTHING);
    }
  });

  it('50: a write held up on A’s link past its timeout, revoked on B meanwhile: never served by any replica', async () => {
    const proxy = await LatencyProxy.start(redis.port);
    try {
      const [a] = await spawn([{ redisPort: proxy.port }]);
      const [b, c] = await spawn([{}, {}]);
      const path = `/token/user/${userId(8)}`;
      // Every write of a token index from A is held 1.5 s (A's command timeout: 0.5 s).
      proxy.holdWhen('token-id:', 1_500);

      const token = await a.token(path); // A mints; its write times out, A answers from memory
      expect(await b.post('/token/revoke', { token })).toBe(204);
      await proxy.drained(); // A's write reaches Redis, after the revocation
      await settle(100);

      const fresh = [await c.token(path), await b.token(path)];
      expect(fresh).not.toContain(token);
      expect(new Set(fresh).size).toBe(1);
      await expect(whoAmI(emulator, token)).resolves.toMatchObject({ status: 401 });
      await expect(whoAmI(emulator, fresh[0]!)).resolves.toEqual({ status: 200, id: userId(8) });
    } finally {
      await proxy.close();
    }
  });

  it('51: key rotation across two replicas ([K1, K2] and [K2, K1]): one token request per key in all', async () => {
    const [k1, k2] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const [one, two] = await spawn([{ encryptionKeys: [k1, k2] }, { encryptionKeys: [k2, k1] }]);
    const before = emulator.count(TOKEN_ROUTE);
    const seen = new Set<string>();

    for (let round = 0; round < 10; round++) {
      for (const replica of [one!, two!, two!, one!]) {
        seen.add(await replica.token('/token/partner'));
        for (const n of [11, 12, 13]) seen.add(await replica.token(`/token/user/${userId(n)}`));
      }
    }

    expect(seen.size).toBe(4);
    expect(emulator.count(TOKEN_ROUTE) - before).toBe(4);
  });
});
