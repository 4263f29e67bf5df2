/*
 * Several real replicas: separate Node processes, each a Nest app (Express or Fastify) booting the
 * BUILT library with a RedisTokenStore on one redis-server, all against one emulator started here.
 * Checklist 18 (single flight across processes, a lock holder that dies) and 19 (Redis down, then
 * back), revocation across processes, and the figure the replicas guide quotes.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { MoniteEmulator } from 'monite-emulator';
import {
  CANARY_SECRET,
  CLIENT_ID,
  eventually,
  settle,
  startEmulator,
  userId,
  whoAmI,
} from '../tokens/token-test-kit.js';
import { buildLibraryIfStale, builtFiles } from './build-library.js';
import { RedisServer } from './redis-server.js';
import { Replica, type ReplicaSettings } from './replica-process.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const REPLICAS = 4;
/** Lock life in the replicas: how long a dead holder keeps the others waiting, at most. */
const LOCK_TTL_MS = 1_500;
const WARNING = 'the Redis token store is unavailable';

/** Calls `path(k)` on replica `k % on.length` for k = 0..calls-1, all at once; the access tokens. */
function spread(on: Replica[], calls: number, path: (k: number) => string): Promise<string[]> {
  return Promise.all(Array.from({ length: calls }, (_, k) => on[k % on.length]!.token(path(k))));
}
/** 40 partner calls, then 20 users with 8 calls each (4 consecutive k reach the 4 replicas). */
function partnerThenTwentyUsers(k: number): string {
  return k < 40 ? '/token/partner' : `/token/user/${userId(1 + (Math.floor(k / 4) % 20))}`;
}
function partnerOrFiveUsers(k: number): string {
  return k % 3 === 0 ? '/token/partner' : `/token/user/${userId(1 + (k % 5))}`;
}
/** The partner token and 50 users' tokens, each once in every 51 calls. */
function everyone(k: number): string {
  return k % 51 === 0 ? '/token/partner' : `/token/user/${userId(k % 51)}`;
}

describe('replicas: separate processes sharing one Redis', () => {
  let redis: RedisServer;
  let emulator: MoniteEmulator;
  let admin: Redis;
  const replicas: Replica[] = [];
  const spawned: Replica[] = [];

  const spawn = async (count: number, settings: Partial<ReplicaSettings>): Promise<Replica[]> => {
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        Replica.spawn({
          adapter: i % 2 === 0 ? 'express' : 'fastify',
          apiUrl: emulator.url,
          clientId: CLIENT_ID,
          clientSecret: CANARY_SECRET,
          ...settings,
        }),
      ),
    );
    spawned.push(...started);
    return started;
  };
  const count = () => emulator.count(TOKEN_ROUTE);

  beforeAll(async () => {
    buildLibraryIfStale();
    redis = await RedisServer.start();
    admin = redis.client();
    emulator = await startEmulator(60);
    replicas.push(...(await spawn(REPLICAS, { redisPort: redis.port, lockTtlMs: LOCK_TTL_MS })));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(spawned.map((replica) => replica.kill()));
    admin?.disconnect();
    await emulator?.close();
    await redis?.stop();
  });

  it('the built library does not load ioredis, nor need its types', () => {
    const loadsIoredis = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]ioredis['"]/;
    const offenders = builtFiles()
      .filter((file) => /\.(?:js|d\.ts)$/.test(file))
      .filter((file) => loadsIoredis.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it(`18: 200 concurrent cold calls over ${REPLICAS} processes: one partner-token request, one per entity user`, async () => {
    // 40 partner calls, then 20 users with 8 calls each, every one of them reaching all 4 processes.
    const tokens = await spread(replicas, 200, partnerThenTwentyUsers);

    expect(new Set(tokens.slice(0, 40)).size).toBe(1);
    for (let user = 0; user < 20; user++) {
      const own = tokens.filter((_, k) => k >= 40 && Math.floor(k / 4) % 20 === user);
      expect(new Set(own).size).toBe(1);
    }
    expect(new Set(tokens).size).toBe(21);
    expect(count()).toBe(1 + 20);
  });

  it('revoke on one process: the next call on every other process mints anew', async () => {
    const path = `/token/user/${userId(1)}`;
    const old = await replicas[0]!.token(path);
    const before = count();

    expect(await replicas[0]!.post('/token/revoke', { token: old })).toBe(204);
    const fresh = [];
    for (const replica of replicas.slice(1)) fresh.push(await replica.token(path));

    expect(fresh.every((token) => token !== old)).toBe(true);
    expect(new Set(fresh).size).toBe(1);
    expect(count() - before).toBe(1);
    await expect(whoAmI(emulator, old)).resolves.toMatchObject({ status: 401 });
    await expect(whoAmI(emulator, fresh[0]!)).resolves.toEqual({ status: 200, id: userId(1) });
  });

  it('19: Redis stopped mid-run: calls keep succeeding from each process’s cache; restarted: sharing resumes', async () => {
    const seen = new Set<string>();
    await redis.stop();
    try {
      for (const token of await spread(replicas, 40, partnerOrFiveUsers)) seen.add(token);
      for (const token of await spread(replicas, 40, partnerOrFiveUsers)) seen.add(token);
      for (const replica of replicas) {
        expect(await replica.get('/health')).toMatchObject({ usingFallback: true });
        expect(replica.occurrences(WARNING)).toBe(1);
        expect(replica.output).not.toContain(CANARY_SECRET);
        for (const token of seen) expect(replica.output).not.toContain(token);
      }
    } finally {
      await redis.start();
    }

    for (const replica of replicas) {
      const deadline = performance.now() + 15_000;
      while ((await replica.get<{ usingFallback: boolean }>('/health')).usingFallback) {
        if (performance.now() > deadline) throw new Error('a replica did not go back to Redis');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const before = count();
    const tokens = await spread(replicas, 40, (k) =>
      k % 2 === 0 ? '/token/partner' : `/token/user/${userId(30)}`,
    );

    expect(new Set(tokens).size).toBe(2);
    expect(count() - before).toBe(2);
    for (const replica of replicas) expect(replica.occurrences(WARNING)).toBe(1);
  });

  it(`measured: token requests per token lifetime, ${REPLICAS} replicas x 50 users, with and without the shared store`, async () => {
    // Tokens live 4 s here (refresh at 2 s), so one lifetime is a cold round then a refresh round.
    emulator.setTokenLifetime(4);
    const calls = REPLICAS * 51; // every replica asks for the partner token and each user's once
    const withoutStore = await spawn(REPLICAS, {});
    await admin.flushall(); // cold again: the shared replicas keep nothing of their own
    try {
      const round = async (on: Replica[], expected: number) => {
        const before = count();
        await spread(on, calls, everyone);
        // Refreshes run in the background: wait for the expected count, then for any extra request.
        await eventually(() => count() - before >= expected, 15_000);
        await settle(300);
        return count() - before;
      };
      const cold = { without: await round(withoutStore, calls), shared: await round(replicas, 51) };
      await settle(2_100); // every token is now past its refresh time
      const refresh = { without: await round(withoutStore, calls), shared: await round(replicas, 51) };

      process.stdout.write(
        `replicas figure: ${REPLICAS} replicas x 50 users, token requests (first fetch + one refresh): ` +
          `${cold.without} + ${refresh.without} without the shared store, ` +
          `${cold.shared} + ${refresh.shared} with RedisTokenStore\n`,
      );
      expect(cold).toEqual({ without: REPLICAS * 51, shared: 51 });
      expect(refresh).toEqual({ without: REPLICAS * 51, shared: 51 });
    } finally {
      emulator.setTokenLifetime(1_800);
      await Promise.all(withoutStore.map((replica) => replica.kill('SIGTERM')));
    }
  });

  it('18: the lock holder is killed mid-mint: the others proceed once its lock expires; two requests in all', async () => {
    const path = `/token/user/${userId(55)}`;
    const [holder, ...others] = replicas;
    emulator.fault(TOKEN_ROUTE, { delayMs: 30_000 }); // the holder's request never gets its answer
    const before = count();
    const orphan = holder!.token(path).catch(() => 'killed');
    await eventually(() => count() === before + 1, 10_000);
    const [lockKey] = await admin.keys('monite-auth:{tokens}:lock:*');
    expect(lockKey).toBeDefined();

    const waiting = Promise.all(
      others.flatMap((replica) => Array.from({ length: 10 }, () => replica.token(path))),
    );
    await holder!.kill('SIGKILL');
    const tokens = await waiting;

    expect(await orphan).toBe('killed');
    expect(new Set(tokens).size).toBe(1);
    // Bound: the dead holder's request, plus one by the replica that took the expired lock.
    expect(count() - before).toBe(2);
    await expect(whoAmI(emulator, tokens[0]!)).resolves.toEqual({ status: 200, id: userId(55) });
  });
});
