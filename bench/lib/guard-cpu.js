/*
 * CPU per request of every guard variant of the bench app, requests injected in-process, measured
 * in paired rounds: each round runs one batch of every variant back to back, so the differences
 * between variants are taken inside one round (one moment of the machine) and summarised as the
 * median over rounds with a bootstrap interval. Rounds go on, block by block, until every
 * difference that has a target is settled (interval narrower than `settleUs`) or the budget ends.
 */
import { inject } from 'light-my-request';
import { CALLER_HEADERS, CPU_VARIANTS, EXPECTED_STATUS } from './bench-app.js';
import { isSettled, pairedDelta } from './paired-interval.js';

/** The differences with a target (issue 11): `[name, variant, floor]`, read as variant - floor. */
export const TARGET_DELTAS = [
  ['oursOverCallerFloor', 'ours', 'callerFloor'],
  ['oursOverTrivial', 'ours', 'trivial'],
  ['deniedOursOverDeniedTrivial', 'deniedOurs', 'deniedTrivial'],
];
/** Differences shown for context only. */
export const CONTEXT_DELTAS = [
  ['trivialOverNone', 'trivial', 'none'],
  ['callerFloorOverTrivial', 'callerFloor', 'trivial'],
  ['caslOverCallerFloor', 'casl', 'callerFloor'],
  ['caslOverTrivial', 'casl', 'trivial'],
];

/** One in-process request through the adapter's own router (no socket). */
function injector(app, adapter) {
  const instance = app.getHttpAdapter().getInstance();
  return adapter === 'fastify'
    ? (url) => instance.inject({ method: 'GET', url, headers: CALLER_HEADERS })
    : (url) => inject(instance, { method: 'GET', url, headers: CALLER_HEADERS });
}

/**
 * The order of round `round`: the list rotated by one each round, and reversed every other round,
 * so each variant runs first and last alike and each compared pair (neighbours in CPU_VARIANTS)
 * runs in both orders.
 */
export function roundOrder(variants, round) {
  const start = Math.floor(round / 2) % variants.length;
  const rotated = [...variants.slice(start), ...variants.slice(0, start)];
  return round % 2 === 1 ? rotated.toReversed() : rotated;
}

/** The paired differences of `specs` over the rounds so far. */
export function deltasOf(perRound, specs) {
  return Object.fromEntries(specs.map(([name, a, b]) => [name, pairedDelta(perRound[a], perRound[b])]));
}

function allSettled(perRound, settleUs) {
  return Object.values(deltasOf(perRound, TARGET_DELTAS)).every((delta) => isSettled(delta, settleUs));
}

/**
 * Runs paired rounds on one app.
 *
 * @returns {{ perRound: Record<string, number[]>, rounds: number, seconds: number }}
 *   perRound: CPU microseconds per request of each variant, one figure per round
 */
export async function cpuRounds(app, adapter, settings) {
  const { batch, minRounds, maxRounds, blockRounds, budgetS, settleUs } = settings;
  const send = injector(app, adapter);
  for (const variant of CPU_VARIANTS) {
    const expected = EXPECTED_STATUS[variant] ?? 200;
    const response = await send(`/bench/${variant}`);
    if (response.statusCode !== expected) {
      throw new Error(`${adapter} /bench/${variant} answered ${response.statusCode}, expected ${expected}`);
    }
    for (let i = 0; i < batch * 2; i++) await send(`/bench/${variant}`);
  }
  const perRound = Object.fromEntries(CPU_VARIANTS.map((variant) => [variant, []]));
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let rounds = 0;
  while (rounds < maxRounds) {
    const order = roundOrder(CPU_VARIANTS, rounds);
    for (const variant of order) {
      const url = `/bench/${variant}`;
      // An empty young generation at the start of every batch: a scavenge then falls in a batch
      // only through that batch's own allocation, not through what the batch before left.
      globalThis.gc({ type: 'minor' });
      const before = process.cpuUsage();
      for (let j = 0; j < batch; j++) await send(url);
      const used = process.cpuUsage(before);
      perRound[variant].push((used.user + used.system) / batch);
    }
    rounds++;
    if (rounds < minRounds || (rounds - minRounds) % blockRounds !== 0) continue;
    if (allSettled(perRound, settleUs) || seconds() > budgetS) break;
  }
  return { perRound, rounds, seconds: seconds() };
}
