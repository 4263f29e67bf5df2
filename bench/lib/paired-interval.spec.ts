import { describe, expect, it } from '@jest/globals';
import {
  bootstrapMedianInterval,
  isSettled,
  pairedDelta,
  pairedDifferences,
  seededRandom,
} from './paired-interval.js';

/** Normally distributed values (Box-Muller) from a seeded generator: every run sees the same data. */
function normalValues(random: () => number, count: number, mean: number, sd: number): number[] {
  return Array.from({ length: count }, () => {
    const u = 1 - random();
    const v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs between seeds, stays in [0, 1) and spreads evenly', () => {
    const first = seededRandom(42);
    const again = seededRandom(42);
    const other = seededRandom(43);
    const values = Array.from({ length: 10_000 }, () => first());
    expect(Array.from({ length: 10_000 }, () => again())).toEqual(values);
    expect(Array.from({ length: 5 }, () => other())).not.toEqual(values.slice(0, 5));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const lowHalf = values.filter((value) => value < 0.5).length / values.length;
    expect(lowHalf).toBeGreaterThan(0.48);
    expect(lowHalf).toBeLessThan(0.52);
  });
});

describe('pairedDifferences', () => {
  it('subtracts round by round', () => {
    expect(pairedDifferences([5, 7, 10], [1, 2, 3])).toEqual([4, 5, 7]);
  });

  it('refuses lists from different numbers of rounds', () => {
    expect(() => pairedDifferences([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('bootstrapMedianInterval', () => {
  it('gives the sample median, odd and even counts', () => {
    expect(bootstrapMedianInterval([3, 1, 2]).median).toBe(2);
    expect(bootstrapMedianInterval([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('collapses to the value when every round agrees', () => {
    expect(bootstrapMedianInterval([7, 7, 7, 7, 7])).toEqual({ median: 7, low: 7, high: 7 });
  });

  it('is deterministic for a seed and holds the median between its bounds', () => {
    const values = normalValues(seededRandom(7), 61, 3, 2);
    const interval = bootstrapMedianInterval(values, { seed: 11 });
    expect(bootstrapMedianInterval(values, { seed: 11 })).toEqual(interval);
    expect(interval.low).toBeLessThanOrEqual(interval.median);
    expect(interval.high).toBeGreaterThanOrEqual(interval.median);
    expect(interval.high).toBeGreaterThan(interval.low);
  });

  it('covers the true median in about 95% of repeated experiments', () => {
    const random = seededRandom(2024);
    const trials = 200;
    let covered = 0;
    for (let trial = 0; trial < trials; trial++) {
      const { low, high } = bootstrapMedianInterval(normalValues(random, 41, 10, 3), {
        resamples: 250,
        seed: trial + 1,
      });
      if (low <= 10 && 10 <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('narrows as rounds are added (about as the square root of their number)', () => {
    const random = seededRandom(5);
    const width = (count: number) => {
      const { low, high } = bootstrapMedianInterval(normalValues(random, count, 0, 4));
      return high - low;
    };
    const few = width(25);
    const many = width(400);
    expect(few / many).toBeGreaterThan(2.5);
    expect(few / many).toBeLessThan(6.5);
  });

  it('stays near the truth when a tenth of the rounds are spoiled by a large burst', () => {
    const random = seededRandom(9);
    const values = normalValues(random, 200, 1, 0.5).map((value, round) =>
      round % 10 === 3 ? value + 100 : value,
    );
    const { median, low, high } = bootstrapMedianInterval(values);
    expect(Math.abs(median - 1)).toBeLessThan(0.2);
    expect(low).toBeLessThan(1.1);
    expect(high).toBeGreaterThan(0.9);
    expect(high - low).toBeLessThan(0.5);
  });

  it('rejects an empty list and a confidence outside (0, 1)', () => {
    expect(() => bootstrapMedianInterval([])).toThrow(/no rounds/);
    expect(() => bootstrapMedianInterval([1], { confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapMedianInterval([1], { confidence: 0 })).toThrow(/confidence/);
  });
});

describe('pairedDelta', () => {
  it('sees a small difference that the rounds’ common swings would hide unpaired', () => {
    const random = seededRandom(31);
    // Each round's level swings by tens of units (the machine); b costs 0.5 more in every round.
    const level = normalValues(random, 120, 100, 30);
    const a = level.map((value) => value + 0.1 * (random() - 0.5));
    const b = level.map((value) => value + 0.5 + 0.1 * (random() - 0.5));
    const delta = pairedDelta(b, a);
    expect(delta.lowUs).toBeGreaterThan(0.4);
    expect(delta.highUs).toBeLessThan(0.6);
    expect(isSettled(delta, 1)).toBe(true);
    // The unpaired view of the same data: b's median minus a's, with each list resampled alone.
    const unpaired =
      bootstrapMedianInterval(b, { seed: 2 }).high - bootstrapMedianInterval(a, { seed: 3 }).low;
    expect(unpaired).toBeGreaterThan(5);
  });

  it('is settled only when the interval is narrower than the width asked for', () => {
    expect(isSettled({ medianUs: 0.2, lowUs: -0.3, highUs: 0.6 }, 1)).toBe(true);
    expect(isSettled({ medianUs: 0.2, lowUs: -0.5, highUs: 0.5 }, 1)).toBe(false);
    expect(isSettled({ medianUs: 0.2, lowUs: -1, highUs: 3 }, 1)).toBe(false);
  });
});
