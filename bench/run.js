/*
 * `npm run bench` (full, a few minutes) and `npm run bench -- --quick` (rough, well under a minute).
 * With `--json` the only thing on stdout is one JSON object with every figure (shape in README.md);
 * anything else the run prints goes to stderr.
 */
import { runCheckBenchmarks } from './checks.bench.js';
import { runGuardBenchmarks } from './guard.bench.js';
import { humanReport } from './lib/report.js';
import { runTokenBenchmarks } from './tokens.bench.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const json = args.has('--json');
for (const arg of args) {
  if (arg !== '--quick' && arg !== '--json') {
    process.stderr.write(`unknown option ${arg}; usage: npm run bench [-- --quick] [--json]\n`);
    process.exit(2);
  }
}

const SETTINGS = quick
  ? {
      checks: { samples: 1, sampleMs: 5 },
      guard: {
        micro: { express: { rounds: 1, batch: 40 }, plain: { samples: 1, sampleMs: 5 } },
        cpu: { batch: 20, minRounds: 4, blockRounds: 4, maxRounds: 4, budgetS: 10 },
        load: { rounds: 1, durationS: 1, warmupS: 0, connections: 10 },
      },
      tokens: { warm: { samples: 2, calls: 1_000 }, memory: { users: 500 } },
    }
  : {
      checks: { samples: 7, sampleMs: 100 },
      guard: {
        micro: { express: { rounds: 10, batch: 200 }, plain: { samples: 15, sampleMs: 50 } },
        // Paired rounds until every target's interval is narrower than 1 us, within the budget.
        cpu: { batch: 100, minRounds: 40, blockRounds: 20, maxRounds: 2_000, budgetS: 60 },
        load: { rounds: 3, durationS: 3, warmupS: 1, connections: 10 },
      },
      tokens: { warm: { samples: 9, calls: 20_000 }, memory: { users: 100_000 } },
    };

// Keep stdout for the JSON alone: a library or framework line must not corrupt it.
const stdoutWrite = process.stdout.write.bind(process.stdout);
if (json) process.stdout.write = process.stderr.write.bind(process.stderr);
const progress = (line) => process.stderr.write(`bench: ${line}\n`);

const started = Date.now();
progress('permission checks');
const checks = runCheckBenchmarks(SETTINGS.checks);
progress('guard (under load, micro, in-process paired rounds)');
const guard = await runGuardBenchmarks(SETTINGS.guard, progress);
progress('token service');
const tokens = await runTokenBenchmarks(SETTINGS.tokens);
progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const result = { checks: checks.checks, guard: guard.guard, tokens: tokens.tokens };
const extras = { checks: checks.extras, guard: guard.extras, tokens: tokens.extras };
if (json) stdoutWrite(`${JSON.stringify(result)}\n`);
else stdoutWrite(humanReport(result, extras, { quick }));
