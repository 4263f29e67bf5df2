/*
 * The token service against the Monite emulator: token requests for N concurrent cold callers of
 * one key, the latency of a warm cache hit beside a hand-written cache's, and the heap per cached
 * entity-user token.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator } from 'monite-emulator';
import { MoniteAuthModule, MoniteTokenService } from 'nestjs-monite-auth';
import { benchUserId } from './lib/bench-users.js';
import { elapsedMs, summarize } from './lib/measure.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
export const CALLER_COUNTS = [1, 100, 10_000];

/** A Nest application context with MoniteAuthModule pointed at `apiUrl`; close it after use. */
async function tokenServiceAt(apiUrl, options = {}) {
  class TokenBenchModule {}
  Reflect.decorate(
    [
      Module({
        imports: [
          MoniteAuthModule.forRoot({
            clientId: DEMO_CLIENT.clientId,
            clientSecret: DEMO_CLIENT.clientSecret,
            apiUrl,
            ...options,
          }),
        ],
      }),
    ],
    TokenBenchModule,
  );
  const app = await NestFactory.createApplicationContext(TokenBenchModule, { logger: false });
  return { app, tokens: app.get(MoniteTokenService) };
}

/** Token endpoint requests made when `callers` ask for one key at once on a cold cache. */
async function requestsForCallers(emulator, callers, ask) {
  const { app, tokens } = await tokenServiceAt(emulator.url);
  try {
    const before = emulator.count(TOKEN_ROUTE);
    const answers = await Promise.all(Array.from({ length: callers }, () => ask(tokens)));
    if (new Set(answers.map((token) => token.accessToken)).size !== 1) {
      throw new Error(`${callers} concurrent callers received different tokens`);
    }
    return emulator.count(TOKEN_ROUTE) - before;
  } finally {
    await app.close();
  }
}

/**
 * The hand-written limit of a warm hit: a Map lookup, an expiry check and a resolved promise of the
 * same token object (ours builds a fresh `MoniteAccessToken` per hit), awaited the same way as ours.
 * What no cache can beat by much in JavaScript.
 */
function handWrittenCache(token) {
  const entries = new Map([['partner', { token, refreshAt: Date.now() + 3_600_000 }]]);
  return () => {
    const entry = entries.get('partner');
    if (entry !== undefined && Date.now() < entry.refreshAt) return Promise.resolve(entry.token);
    return Promise.reject(new Error('the hand-written cache lost its token'));
  };
}

/**
 * ns per awaited getPartnerToken() once the token is cached, and per awaited hit of the
 * hand-written cache holding the same token: samples interleaved (ours, baseline, ours, ...).
 */
async function warmHitNanoseconds(emulator, { samples, calls }) {
  const { app, tokens } = await tokenServiceAt(emulator.url);
  try {
    const token = await tokens.getPartnerToken();
    const contenders = { ours: () => tokens.getPartnerToken(), baseline: handWrittenCache(token) };
    const ns = { ours: [], baseline: [] };
    for (const get of Object.values(contenders)) {
      if ((await get()).accessToken !== token.accessToken)
        throw new Error('a warm hit returned another token');
      for (let i = 0; i < calls; i++) await get();
    }
    for (let s = 0; s < samples; s++) {
      for (const [name, get] of Object.entries(contenders)) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await get();
        ns[name].push((elapsedMs(start) * 1e6) / calls);
      }
    }
    return { ours: summarize(ns.ours), baseline: summarize(ns.baseline) };
  } finally {
    await app.close();
  }
}

function heapUsed() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap per cached entity-user token: `users` tokens fetched through the real service from an
 * emulator in another process, the LRU maximum raised to `users`; heap after minus heap before
 * the service existed, divided by `users` (so it includes the service's per-capacity structures).
 */
async function bytesPerUserToken({ users }) {
  const child = fork(fileURLToPath(new URL('./lib/emulator-process.js', import.meta.url)), [String(users)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const [{ url }] = await once(child, 'message');
    // One throwaway service first, so module loading and first-use caches are not counted.
    const warm = await tokenServiceAt(url);
    await warm.tokens.getEntityUserToken(benchUserId(0));
    await warm.app.close();

    const before = heapUsed();
    const { app, tokens } = await tokenServiceAt(url, {
      entityUserTokenCacheMax: users,
      maxConcurrentTokenRequests: 32,
    });
    const started = process.hrtime.bigint();
    const firstToken = await tokens.getEntityUserToken(benchUserId(0));
    for (let from = 0; from < users; from += 1_000) {
      if (from > 0 && from % 8_000 === 0) {
        child.send('forget-tokens');
        await once(child, 'message');
      }
      const to = Math.min(users, from + 1_000);
      await Promise.all(
        Array.from({ length: to - from }, (_, i) => tokens.getEntityUserToken(benchUserId(from + i))),
      );
    }
    const fillSeconds = elapsedMs(started) / 1000;
    const after = heapUsed();
    // The oldest token must still be cached, or the figure would be per fewer tokens than claimed.
    const again = await tokens.getEntityUserToken(benchUserId(0));
    if (again.accessToken !== firstToken.accessToken) throw new Error('the token cache dropped entries');
    await app.close();
    return { bytesPerUserToken: (after - before) / users, users, fillSeconds };
  } finally {
    child.disconnect();
    await once(child, 'exit');
  }
}

export async function runTokenBenchmarks({ warm, memory }) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  const emulator = await startMoniteEmulator({ port: 0 });
  const requestsForConcurrentCallers = {};
  const entityUserRequests = {};
  let warmHit;
  try {
    for (const callers of CALLER_COUNTS) {
      requestsForConcurrentCallers[callers] = await requestsForCallers(emulator, callers, (tokens) =>
        tokens.getPartnerToken(),
      );
      entityUserRequests[callers] = await requestsForCallers(emulator, callers, (tokens) =>
        tokens.getEntityUserToken(DEMO_USERS.alice.id),
      );
    }
    warmHit = await warmHitNanoseconds(emulator, warm);
  } finally {
    await emulator.close();
  }
  const heap = await bytesPerUserToken(memory);
  return {
    tokens: {
      requestsForConcurrentCallers,
      warmHitNs: warmHit.ours.median,
      warmHitBaselineNs: warmHit.baseline.median,
      bytesPerUserToken: heap.bytesPerUserToken,
    },
    extras: {
      entityUserRequests,
      warmHit: warmHit.ours,
      warmHitBaseline: warmHit.baseline,
      memoryUsers: heap.users,
      fillSeconds: heap.fillSeconds,
    },
  };
}
