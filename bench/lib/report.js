/*
 * The human table: every figure, the ratios against ours and each target of issue 7 with whether
 * this run met it.
 */
import { CHECKERS, CHECK_CASES } from '../checks.bench.js';
import { ADAPTERS, VARIANTS } from './bench-app.js';

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ops = (value) => (value >= 1e6 ? `${fmt(value / 1e6, 1)}M` : `${fmt(value / 1e3, 1)}k`);
const pad = (text, width) => String(text).padStart(width);

function table(headers, rows) {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : pad(cell, widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const oursOver = (ours, peer) => ours / peer;

/** Each target of the issue: [description, measured, met]. */
export function targets(result, extras) {
  const { checks, guard, tokens } = result;
  const out = [];
  for (const name of ['allowed', 'denied', 'ownMine', 'ownOther']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.map[name].opsPerSec);
    out.push([`checks ${name}: ours >= 0.8x map`, `${fmt(r, 2)}x`, r >= 0.8]);
  }
  for (const name of ['ownMine', 'ownOther']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.casl[name].opsPerSec);
    out.push([`checks ${name}: ours >= 5x CASL`, `${fmt(r, 2)}x`, r >= 5]);
  }
  for (const name of ['allowed', 'denied']) {
    const r = oursOver(checks.ours[name].opsPerSec, checks.casl[name].opsPerSec);
    out.push([`checks ${name}: ours >= 2x CASL`, `${fmt(r, 2)}x`, r >= 2]);
  }
  const compile = oursOver(checks.ours.compile.opsPerSec, checks.casl.compile.opsPerSec);
  out.push(['compile: ours >= 3x CASL createMongoAbility', `${fmt(compile, 2)}x`, compile >= 3]);
  out.push([
    'guard: <= 1000 ns per canActivate',
    `${fmt(guard.nsPerCanActivate)} ns`,
    guard.nsPerCanActivate <= 1000,
  ]);
  for (const adapter of ADAPTERS) {
    // Paired round by round: less exposed to the machine's drift than the difference of medians.
    const delta = extras.guard.cpuDeltas[adapter].oursOverTrivial;
    out.push([`${adapter}: ours <= trivial + 1 us CPU/request`, `${fmt(delta, 2)} us`, delta <= 1]);
  }
  for (const callers of Object.keys(tokens.requestsForConcurrentCallers)) {
    const requests = tokens.requestsForConcurrentCallers[callers];
    out.push([`tokens: 1 request for ${callers} concurrent callers`, String(requests), requests === 1]);
  }
  out.push([
    'tokens: warm getPartnerToken() < 1000 ns',
    `${fmt(tokens.warmHitNs)} ns`,
    tokens.warmHitNs < 1000,
  ]);
  out.push([
    'tokens: < 1024 bytes per cached user token',
    `${fmt(tokens.bytesPerUserToken)} B`,
    tokens.bytesPerUserToken < 1024,
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

  parts.push('\nGuard micro-benchmark, ns per canActivate (role or ability cached)');
  const ns = extras.guard.nsByGuard;
  parts.push(
    table(
      ['guard', 'ns (median)', 'min', 'max'],
      Object.entries(ns).map(([name, s]) => [name, fmt(s.median), fmt(s.min), fmt(s.max)]),
    ),
  );
  parts.push(
    `  ours - trivial: ${fmt(ns.ours.median - ns.trivial.median)} ns per request (the guard's own price over the floor)`,
  );

  parts.push('\nGuard in a Nest app: CPU us per request in-process, and rps / p99 under autocannon');
  const guardRows = [];
  for (const adapter of ADAPTERS) {
    for (const variant of VARIANTS) {
      const v = guard[adapter][variant];
      guardRows.push([
        variant === 'none' ? adapter : '',
        variant,
        fmt(v.cpuUsPerRequest, 1),
        fmt(v.rps),
        fmt(v.p99Ms, 1),
      ]);
    }
  }
  parts.push(table(['adapter', 'variant', 'CPU us/req (p10)', 'rps', 'p99 ms'], guardRows));
  for (const adapter of ADAPTERS) {
    const d = extras.guard.cpuDeltas[adapter];
    const medians = VARIANTS.map((variant) => `${variant} ${fmt(d.medianByVariant[variant], 1)}`).join(', ');
    parts.push(
      `  ${adapter}: trivial - none ${fmt(d.trivialOverNone, 2)} us; ours - trivial ${fmt(d.oursOverTrivial, 2)} us; ` +
        `casl - trivial ${fmt(d.caslOverTrivial, 2)} us (lower deciles of the batches)`,
    );
    parts.push(
      `  ${adapter}: medians of the batches ${medians}; ours - trivial paired by round ${fmt(d.pairedMedianOursOverTrivial, 2)} us`,
    );
  }

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
  parts.push(
    `  warm getPartnerToken(): ${fmt(tokens.warmHitNs)} ns (min ${fmt(hit.min)}, max ${fmt(hit.max)})`,
  );
  parts.push(
    `  heap per cached entity-user token: ${fmt(tokens.bytesPerUserToken)} bytes at ${fmt(extras.tokens.memoryUsers)} users ` +
      `(filled in ${fmt(extras.tokens.fillSeconds, 1)} s)`,
  );

  parts.push('\nTargets (issue 7)');
  parts.push(
    table(
      ['target', 'measured', 'met'],
      targets(result, extras).map(([what, measured, met]) => [what, measured, met ? 'yes' : 'NO']),
    ),
  );
  return `${parts.join('\n')}\n`;
}
