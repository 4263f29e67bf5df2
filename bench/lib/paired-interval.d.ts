/** Types of paired-interval.js (the bench is plain JavaScript; its spec is TypeScript). */

export interface MedianInterval {
  median: number;
  low: number;
  high: number;
}

export interface PairedDelta {
  medianUs: number;
  lowUs: number;
  highUs: number;
}

export interface BootstrapOptions {
  /** Bootstrap resamples (default 2,000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling (default 1): the same seed gives the same interval. */
  seed?: number;
}

export function seededRandom(seed: number): () => number;
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[];
export function bootstrapMedianInterval(
  values: readonly number[],
  options?: BootstrapOptions,
): MedianInterval;
export function pairedDelta(
  a: readonly number[],
  b: readonly number[],
  options?: BootstrapOptions,
): PairedDelta;
export function isSettled(delta: PairedDelta, width: number): boolean;
