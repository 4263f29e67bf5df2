/*
 * Timing helpers shared by every benchmark. A contender is a function `run(n)` doing `n` operations
 * and returning a number that depends on their results, so the JIT cannot drop the work.
 */
import { hrtime } from 'node:process';

/** Milliseconds since `start` (a `hrtime.bigint()` reading). */
export function elapsedMs(start) {
  return Number(hrtime.bigint() - start) / 1e6;
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The value below which `fraction` of the list lies (nearest rank). A low one estimates the cost of
 * work that interference only ever makes slower: the least disturbed samples.
 */
export function percentile(values, fraction) {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** `{ median, min, max }` of a list of numbers. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** How many operations make one sample of about `sampleMs`; also warms the function up. */
export function calibrate(run, sampleMs) {
  let n = 16;
  for (;;) {
    const start = hrtime.bigint();
    run(n);
    const ms = elapsedMs(start);
    if (ms >= sampleMs / 8 || n >= 2 ** 30)
      return Math.max(1, Math.round((n * sampleMs) / Math.max(ms, 1e-3)));
    n *= 4;
  }
}

/**
 * Operations per second of every contender, measured in the same process, samples interleaved
 * (A B C A B C ...) and the starting contender rotated each round, so drift of the machine's speed
 * hits every contender alike. `expected(n)` checks once that each contender gives the right answer.
 *
 * @returns name -> { opsPerSec (median), min, max }
 */
export function compareThroughput(contenders, { samples, sampleMs, expected }) {
  const names = Object.keys(contenders);
  const sizes = {};
  const rates = {};
  for (const name of names) {
    calibrate(contenders[name], sampleMs);
    sizes[name] = calibrate(contenders[name], sampleMs);
    const result = contenders[name](sizes[name]);
    if (expected !== undefined && result !== expected(sizes[name])) {
      throw new Error(`benchmark contender ${name} gave ${result}, expected ${expected(sizes[name])}`);
    }
    rates[name] = [];
  }
  for (let round = 0; round < samples; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const n = sizes[name];
      const start = hrtime.bigint();
      contenders[name](n);
      rates[name].push((n * 1000) / elapsedMs(start));
    }
  }
  const out = {};
  for (const name of names) {
    const { median: opsPerSec, min, max } = summarize(rates[name]);
    out[name] = { opsPerSec, min, max };
  }
  return out;
}
