/*
 * The guard: its own cost per canActivate (micro-benchmark), then the four route variants of a
 * real Nest app on Express and Fastify, in-process (CPU per request) and under autocannon.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { inject } from 'light-my-request';
import { MonitePermissionGuard } from 'nestjs-monite-auth';
import {
  ADAPTERS,
  BenchController,
  CALLER_HEADERS,
  CaslGuard,
  TrivialGuard,
  VARIANTS,
  createBenchApp,
} from './lib/bench-app.js';
import { median, nsPerOperation, percentile } from './lib/measure.js';

/** A request as an HTTP adapter hands it to a guard, with the headers a browser or client sends. */
function realisticRequest() {
  return {
    method: 'GET',
    url: '/bench/ours',
    params: {},
    query: {},
    headers: {
      host: '127.0.0.1:3000',
      'user-agent': 'Mozilla/5.0 (bench)',
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate, br',
      connection: 'keep-alive',
      authorization: 'Bearer not-a-real-token',
      ...CALLER_HEADERS,
    },
  };
}

/** ns per canActivate of each guard on the route it guards, the role (or ability) already cached. */
async function guardNanoseconds(app, { samples, sampleMs }) {
  const prototype = BenchController.prototype;
  const contexts = {
    ours: [app.get(MonitePermissionGuard), prototype.ours],
    trivial: [app.get(TrivialGuard), prototype.trivial],
    casl: [app.get(CaslGuard), prototype.casl],
  };
  const out = {};
  for (const [name, [guard, handler]] of Object.entries(contexts)) {
    // Nest builds one ExecutionContextHost per request for the guards; a few are reused here.
    const hosts = Array.from(
      { length: 4 },
      () => new ExecutionContextHost([realisticRequest(), {}, () => undefined], BenchController, handler),
    );
    // The first call loads and caches the role (a Promise); from then on the answer is synchronous.
    if ((await guard.canActivate(hosts[0])) !== true)
      throw new Error(`${name} guard denied the bench caller`);
    const run = (n) => {
      let passed = 0;
      for (let i = 0; i < n; i++) if (guard.canActivate(hosts[i & 3]) === true) passed++;
      if (passed !== n) throw new Error(`${name} guard did not answer synchronously`);
      return passed;
    };
    out[name] = nsPerOperation(run, { samples, sampleMs });
  }
  return out;
}

/** One in-process request through the adapter's own router (no socket). */
function injector(app, adapter) {
  const instance = app.getHttpAdapter().getInstance();
  return adapter === 'fastify'
    ? (url) => instance.inject({ method: 'GET', url, headers: CALLER_HEADERS })
    : (url) => inject(instance, { method: 'GET', url, headers: CALLER_HEADERS });
}

/**
 * CPU microseconds per request of each variant, batches interleaved A B C D, the order rotated
 * each round. Returns per variant the per-round figures (paired by round).
 */
async function cpuPerRequest(app, adapter, { rounds, batch }) {
  const send = injector(app, adapter);
  for (const variant of VARIANTS) {
    const response = await send(`/bench/${variant}`);
    if (response.statusCode !== 200)
      throw new Error(`${adapter} /bench/${variant} answered ${response.statusCode}`);
    for (let i = 0; i < batch; i++) await send(`/bench/${variant}`);
  }
  const perRound = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const url = `/bench/${variant}`;
      const before = process.cpuUsage();
      for (let j = 0; j < batch; j++) await send(url);
      const used = process.cpuUsage(before);
      perRound[variant].push((used.user + used.system) / batch);
    }
  }
  return perRound;
}

async function startLoadClient() {
  const child = fork(fileURLToPath(new URL('./lib/load-client.js', import.meta.url)), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await once(child, 'message');
  return {
    async run(job) {
      child.send(job);
      const [result] = await once(child, 'message');
      return result;
    },
    async stop() {
      child.send('exit');
      await once(child, 'exit');
    },
  };
}

/** rps and p99 of each variant under autocannon over loopback, runs interleaved. */
async function underLoad(app, client, { rounds, durationS, warmupS, connections }) {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const runs = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  // A short unmeasured run per variant first: the JIT and the sockets warm up.
  for (const variant of warmupS > 0 ? VARIANTS : []) {
    const url = `http://127.0.0.1:${port}/bench/${variant}`;
    await client.run({ url, headers: CALLER_HEADERS, durationS: warmupS, connections });
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const result = await client.run({
        url: `http://127.0.0.1:${port}/bench/${variant}`,
        headers: CALLER_HEADERS,
        durationS,
        connections,
      });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`autocannon on /bench/${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      runs[variant].push(result);
    }
  }
  return runs;
}

/**
 * CPU per request of a variant: the lower decile of its batches. On a shared machine a batch's CPU
 * time swings several-fold with what the other core is doing; interference only ever adds, so the
 * least disturbed batches are the closest to the code's own cost.
 */
function leastDisturbed(perBatch) {
  return percentile(perBatch, 0.1);
}

/** Median of per-round differences `a - b` (the pairs were measured back to back). */
function pairedDifference(a, b) {
  return median(a.map((value, round) => value - b[round]));
}

export async function runGuardBenchmarks(settings) {
  const guard = { nsPerCanActivate: 0 };
  const extras = { nsByGuard: {}, cpuDeltas: {} };
  const client = await startLoadClient();
  try {
    for (const adapter of ADAPTERS) {
      // Load first, on an app of its own: light-my-request re-parents Express's shared request
      // prototype to inject into it, after which real sockets on any Express app of this process break.
      const served = await createBenchApp(adapter);
      let load;
      try {
        load = await underLoad(served, client, settings.load);
      } finally {
        await served.close();
      }
      const app = await createBenchApp(adapter);
      let cpu;
      try {
        if (adapter === 'express') {
          extras.nsByGuard = await guardNanoseconds(app, settings.micro);
          guard.nsPerCanActivate = extras.nsByGuard.ours.median;
        }
        cpu = await cpuPerRequest(app, adapter, settings.cpu);
      } finally {
        await app.close();
      }
      guard[adapter] = {};
      for (const variant of VARIANTS) {
        guard[adapter][variant] = {
          cpuUsPerRequest: leastDisturbed(cpu[variant]),
          rps: median(load[variant].map((run) => run.rps)),
          p99Ms: median(load[variant].map((run) => run.p99Ms)),
        };
      }
      const over = (a, b) => leastDisturbed(cpu[a]) - leastDisturbed(cpu[b]);
      extras.cpuDeltas[adapter] = {
        trivialOverNone: over('trivial', 'none'),
        oursOverTrivial: over('ours', 'trivial'),
        caslOverTrivial: over('casl', 'trivial'),
        pairedMedianOursOverTrivial: pairedDifference(cpu.ours, cpu.trivial),
        medianByVariant: Object.fromEntries(VARIANTS.map((variant) => [variant, median(cpu[variant])])),
      };
    }
  } finally {
    await client.stop();
  }
  return { guard, extras };
}
