import { describe, expect, it } from '@jest/globals';
import { CHECKERS, CHECK_CASES, runCheckBenchmarks } from './checks.bench.js';

/*
 * The permission-check bench is built from the library's matrix, so a new pair can change what a
 * peer answers (accesscontrol once read the `role` object type's record from its own query field).
 * `compareThroughput` throws when a contender's answer differs from the role's; a tiny run here
 * makes that a test failure instead of a broken `npm run bench`.
 */
describe('permission-check bench', () => {
  it('every contender answers every case as the bench role says, over the whole matrix', () => {
    const { checks } = runCheckBenchmarks({ samples: 1, sampleMs: 1 });
    for (const checker of CHECKERS) {
      expect(Object.keys(checks[checker]!).toSorted()).toEqual(CHECK_CASES.toSorted());
    }
  });
});
