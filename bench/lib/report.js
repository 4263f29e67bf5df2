/*
 * The human report: every figure, the ratios against ours, and each target (issue 11 first, then
 * issue 7's, which say "no worse than today" for the checks and the tokens) with its verdict.
 */
import { CHECKERS, CHECK_CASES } from '../checks.bench.js';
import { fmt, ops, table } from './report-format.js';
import { guardReport, guardTargets } from './report-guard.js';

const oursOver = (ours, peer) => ours / peer;
const yes = (met) => (met ? 'yes' : 'NO');

/** Each target: [description, measured, 'yes' | 'NO' | 'not settled']. */
export function targets(result, extras) {
  const { checks, guard, tokens } = result;
  const out = guardTargets(guard, extras.guard);
  for (const name of ['allowed', 'denied', 'ownMine', 'ownOther']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.map[name].opsPerSec);
    out.push([`checks ${name}: ours >= 0.8x map`, `${fmt(r, 2)}x`, yes(r >= 0.8)]);
  }
  for (const name of ['ownMine', 'ownOther']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.casl[name].opsPerSec);
    out.push([`checks ${name}: ours >= 5x CASL`, `${fmt(r, 2)}x`, yes(r >= 5)]);
  }
  for (const name of ['allowed', 'denied']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.casl[name].opsPerSec);
    out.push([`checks ${name}: ours >= 2x CASL`, `${fmt(r, 2)}x`, yes(r >= 2)]);
  }
  const compile = oursOver(checks.ours.compile.opsPerSec, checks.casl.compile.opsPerSec);
  out.push(['compile: ours >= 3x CASL createMongoAbility', `${fmt(compile, 2)}x`, yes(compile >= 3)]);
  for (const callers of Object.keys(tokens.requestsForConcurrentCallers)) {
    const requests = tokens.requestsForConcurrentCallers[callers];
    out.push([`tokens: 1 request for ${callers} concurrent callers`, String(requests), yes(requests === 1)]);
  }
  out.push([
    'tokens: warm getPartnerToken() < 1000 ns',
    `${fmt(tokens.warmHitNs)} ns (limit ${fmt(tokens.warmHitBaselineNs)} ns)`,
    yes(tokens.warmHitNs < 1000),
  ]);
  out.push([
    'tokens: < 1024 bytes per cached user token',
    `${fmt(tokens.bytesPerUserToken)} B`,
    yes(tokens.bytesPerUserToken < 1024),
  ]);
  return out;
}

export function humanReport(result, extras, { quick }) {
  const { checks, guard, tokens } = result;
  const parts = [];
  parts.push(
    `nestjs-monite-auth benchmarks${quick ? ' (--quick: figures are rough)' : ''}, node ${process.version}`,
  );

  parts.push(
    '\nPermission checks, operations per second (median of samples, [min-max]); ratio = ours / peer',
  );
  const rows = [];
  for (const name of CHECK_CASES) {
    for (const checker of CHECKERS) {
      const { opsPerSec, min, max } = checks[checker][name];
      const r = checks.ours[name].opsPerSec / opsPerSec;
      rows.push([
        checker === 'ours' ? name : '',
        checker,
        ops(opsPerSec),
        `[${ops(min)}-${ops(max)}]`,
        checker === 'ours' ? '' : `${fmt(r, 2)}x`,
      ]);
    }
  }
  parts.push(table(['case', 'checker', 'ops/s', 'range', 'ours/peer'], rows));
  const { oursByName, oursParseAndCompile } = extras.checks;
  parts.push(
    `  also: ours looked up by name (permissionFor) ${ops(oursByName.opsPerSec)}/s; ` +
      `validate + compile (parseMoniteRole + compileRole) ${ops(oursParseAndCompile.opsPerSec)}/s`,
  );

  parts.push(...guardReport(guard, extras.guard));

  parts.push('\nToken service against the Monite emulator');
  const tokenRows = Object.keys(tokens.requestsForConcurrentCallers).map((callers) => [
    callers,
    tokens.requestsForConcurrentCallers[callers],
    extras.tokens.entityUserRequests[callers],
  ]);
  parts.push(
    table(['concurrent cold callers', 'partner token requests', 'entity-user token requests'], tokenRows),
  );
  const hit = extras.tokens.warmHit;
  const limit = extras.tokens.warmHitBaseline;
  parts.push(
    `  warm getPartnerToken(): ${fmt(tokens.warmHitNs)} ns (min ${fmt(hit.min)}, max ${fmt(hit.max)}); ` +
      `the hand-written limit (Map, expiry check, resolved promise): ${fmt(tokens.warmHitBaselineNs)} ns ` +
      `(min ${fmt(limit.min)}, max ${fmt(limit.max)})`,
  );
  parts.push(
    `  heap per cached entity-user token: ${fmt(tokens.bytesPerUserToken)} bytes at ${fmt(extras.tokens.memoryUsers)} users ` +
      `(filled in ${fmt(extras.tokens.fillSeconds, 1)} s)`,
  );

  parts.push('\nTargets (issue 11, then issue 7: checks and tokens no worse than today)');
  parts.push(table(['target', 'measured', 'met'], targets(result, extras)));
  return `${parts.join('\n')}\n`;
}
