/*
 * The paired difference of two variants measured round by round, as a median with a 95% interval.
 *
 * Each round measures every variant once, back to back, so a round's difference `a - b` is exposed
 * to one moment of the machine. The rounds' differences are summarised by their median (robust to
 * the rounds a neighbour's burst of work spoiled), and the median's uncertainty by a percentile
 * bootstrap over rounds: draw as many rounds as there are, with replacement, take their median,
 * repeat; the interval holds the middle 95% of those medians. No distribution is assumed.
 */

/**
 * A deterministic random generator (Marsaglia's xorshift32): the same seed gives the same interval.
 * Shifts and xors only: `Math` calls are slow inside Jest's module sandbox, where the spec runs.
 */
export function seededRandom(seed) {
  // Any seed, 0 included, maps to a non-zero state (zero is xorshift's one fixed point).
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** The median of a sorted Float64Array (the mean of the middle two for an even length). */
function sortedMedian(sorted) {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The `fraction` quantile of a sorted Float64Array, interpolated between neighbours. */
function sortedQuantile(sorted, fraction) {
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Round-by-round differences `a[i] - b[i]`; both lists must come from the same rounds. */
export function pairedDifferences(a, b) {
  if (a.length !== b.length) throw new Error(`paired lists differ in length (${a.length} vs ${b.length})`);
  return a.map((value, round) => value - b[round]);
}

/**
 * The median of `values` and its percentile-bootstrap interval.
 *
 * @param {number[]} values one figure per round (e.g. the paired differences)
 * @param {{ resamples?: number, confidence?: number, seed?: number }} [options]
 * @returns {{ median: number, low: number, high: number }}
 */
export function bootstrapMedianInterval(values, { resamples = 2000, confidence = 0.95, seed = 1 } = {}) {
  if (values.length === 0) throw new Error('no rounds to summarise');
  if (!(confidence > 0 && confidence < 1)) throw new Error('confidence must lie between 0 and 1');
  const data = Float64Array.from(values);
  const median = sortedMedian(data.toSorted());
  const random = seededRandom(seed);
  const sample = new Float64Array(data.length);
  const medians = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    // `| 0` truncates like Math.floor here (non-negative, small); Math calls are slow in Jest's sandbox.
    for (let i = 0; i < sample.length; i++) sample[i] = data[(random() * data.length) | 0];
    // In place on purpose: one buffer for every resample, no allocation in the loop.
    // eslint-disable-next-line unicorn/no-array-sort
    medians[r] = sortedMedian(sample.sort());
  }
  medians.sort();
  const tail = (1 - confidence) / 2;
  return { median, low: sortedQuantile(medians, tail), high: sortedQuantile(medians, 1 - tail) };
}

/**
 * The paired difference `a - b` over rounds, in the JSON's shape: `{ medianUs, lowUs, highUs }`
 * (the unit is the inputs'; the bench passes microseconds).
 */
export function pairedDelta(a, b, options) {
  const { median, low, high } = bootstrapMedianInterval(pairedDifferences(a, b), options);
  return { medianUs: median, lowUs: low, highUs: high };
}

/** Whether an interval is narrow enough to settle a figure: `highUs - lowUs < width`. */
export function isSettled(delta, width) {
  return delta.highUs - delta.lowUs < width;
}
