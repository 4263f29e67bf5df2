/*
 * The guard: its own cost per canActivate (micro-benchmark), then the route variants of a real
 * Nest app on Express and Fastify: CPU per request in paired rounds (in-process), and rps / p99
 * under autocannon.
 */
import { ADAPTERS, CPU_VARIANTS, VARIANTS, createBenchApp } from './lib/bench-app.js';
import { CONTEXT_DELTAS, TARGET_DELTAS, cpuRounds, deltasOf } from './lib/guard-cpu.js';
import { startLoadClient, underLoad } from './lib/guard-load.js';
import { expressShapeNanoseconds, plainShapeNanoseconds } from './lib/guard-micro.js';
import { median, percentile } from './lib/measure.js';
import { isSettled } from './lib/paired-interval.js';

/** A delta's interval must be narrower than this to settle its figure. */
export const SETTLE_US = 1;
/** Fewer rounds than this settle nothing: a bootstrap over a handful of rounds says little. */
export const MIN_ROUNDS_TO_SETTLE = 20;

/**
 * CPU per request of a variant on its own: the lower decile of its batches. On a shared machine a
 * batch's CPU time swings several-fold with what the other core is doing; interference only ever
 * adds, so the least disturbed batches are the closest to the code's own cost. The differences
 * between variants are the paired deltas, not differences of these.
 */
function leastDisturbed(perBatch) {
  return percentile(perBatch, 0.1);
}

/** `{ medianUs, lowUs, highUs, settled }` of each spec. */
function settledDeltas(perRound, rounds, specs) {
  const deltas = deltasOf(perRound, specs);
  for (const delta of Object.values(deltas)) {
    delta.settled = rounds >= MIN_ROUNDS_TO_SETTLE && isSettled(delta, SETTLE_US);
  }
  return deltas;
}

/** One adapter's figures in the JSON's shape, and its extras for the human report. */
function adapterFigures(cpu, load) {
  const figures = {};
  for (const variant of CPU_VARIANTS) {
    figures[variant] = { cpuUsPerRequest: leastDisturbed(cpu.perRound[variant]) };
    if (VARIANTS.includes(variant)) {
      figures[variant].rps = median(load[variant].map((run) => run.rps));
      figures[variant].p99Ms = median(load[variant].map((run) => run.p99Ms));
    }
  }
  figures.deltas = settledDeltas(cpu.perRound, cpu.rounds, TARGET_DELTAS);
  const extras = {
    rounds: cpu.rounds,
    seconds: cpu.seconds,
    contextDeltas: settledDeltas(cpu.perRound, cpu.rounds, CONTEXT_DELTAS),
    medianByVariant: Object.fromEntries(
      CPU_VARIANTS.map((variant) => [variant, median(cpu.perRound[variant])]),
    ),
  };
  return { figures, extras };
}

export async function runGuardBenchmarks(settings, progress) {
  const guard = { nsPerCanActivate: 0 };
  const extras = { nsByGuard: {}, cpu: {} };
  const client = await startLoadClient();
  try {
    for (const adapter of ADAPTERS) {
      // Real sockets first, on an app of their own: light-my-request re-parents Express's shared
      // request prototype to inject into it, after which real sockets on any Express app of this
      // process break. The micro-benchmark on Express's request shape needs real sockets too.
      progress(`guard ${adapter}: under load`);
      const served = await createBenchApp(adapter);
      let load;
      try {
        load = await underLoad(served, client, settings.load);
        if (adapter === 'express') {
          progress('guard express: canActivate inside real requests');
          extras.nsByGuard.express = await expressShapeNanoseconds(served, settings.micro.express);
          guard.nsPerCanActivate = extras.nsByGuard.express.ours.median;
        }
      } finally {
        await served.close();
      }
      const app = await createBenchApp(adapter);
      let cpu;
      try {
        if (adapter === 'express') {
          progress('guard: canActivate on a plain request object');
          extras.nsByGuard.plain = await plainShapeNanoseconds(app, settings.micro.plain);
        }
        progress(`guard ${adapter}: CPU per request, paired rounds`);
        cpu = await cpuRounds(app, adapter, { ...settings.cpu, settleUs: SETTLE_US });
      } finally {
        await app.close();
      }
      const { figures, extras: cpuExtras } = adapterFigures(cpu, load);
      guard[adapter] = figures;
      extras.cpu[adapter] = cpuExtras;
    }
  } finally {
    await client.stop();
  }
  return { guard, extras };
}
