/** Types of checks.bench.js (the bench is plain JavaScript; its spec is TypeScript). */

export interface Throughput {
  opsPerSec: number;
  min: number;
  max: number;
}

export const CHECKERS: readonly string[];
export const CHECK_CASES: readonly string[];

export function runCheckBenchmarks(settings: { samples: number; sampleMs: number }): {
  checks: Record<string, Record<string, Throughput>>;
  extras: Record<string, Throughput>;
};
