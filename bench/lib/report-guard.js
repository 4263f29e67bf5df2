/*
 * The guard's part of the human report: ns per canActivate, CPU per request of every variant, and
 * the paired differences with their intervals, saying which are not settled.
 */
import { MIN_ROUNDS_TO_SETTLE, SETTLE_US } from '../guard.bench.js';
import { ADAPTERS, CPU_VARIANTS, VARIANTS } from './bench-app.js';
import { fmt, interval, table } from './report-format.js';

/**
 * A paired delta against a bound on its median: met or missed when the interval is narrow enough
 * (settled) or lies wholly on one side of the bound, else not settled. Too few rounds settle nothing.
 */
export function verdictOf(delta, bound, rounds) {
  if (rounds < MIN_ROUNDS_TO_SETTLE) return 'not settled';
  if (delta.highUs <= bound) return 'yes';
  if (delta.lowUs > bound) return 'NO';
  if (!delta.settled) return 'not settled';
  return delta.medianUs <= bound ? 'yes' : 'NO';
}

/** The guard's targets of issue 11: [description, measured, verdict]. */
export function guardTargets(guard, extras) {
  const out = [];
  const verdict = (adapter, delta) => verdictOf(delta, 1, extras.cpu[adapter].rounds);
  for (const adapter of ADAPTERS) {
    const delta = guard[adapter].deltas.oursOverCallerFloor;
    out.push([
      `${adapter}: ours <= caller floor + 1 us CPU/request`,
      interval(delta),
      verdict(adapter, delta),
    ]);
  }
  out.push([
    'canActivate <= 400 ns, Express request shape',
    `${fmt(guard.nsPerCanActivate)} ns`,
    guard.nsPerCanActivate <= 400 ? 'yes' : 'NO',
  ]);
  for (const adapter of ADAPTERS) {
    const delta = guard[adapter].deltas.deniedOursOverDeniedTrivial;
    out.push([`${adapter}: a denial <= Nest's own + 1 us CPU`, interval(delta), verdict(adapter, delta)]);
  }
  return out;
}

const range = (summary) => `${fmt(summary.min)}-${fmt(summary.max)}`;

function microReport(ns) {
  const names = Object.keys(ns.plain);
  return [
    '\nGuard micro-benchmark, ns per canActivate (role or ability cached)',
    table(
      ['guard', 'Express request', 'rounds min-max', 'plain object', 'min-max'],
      names.map((name) => [
        name,
        fmt(ns.express[name].median),
        range(ns.express[name]),
        fmt(ns.plain[name].median),
        range(ns.plain[name]),
      ]),
    ),
    `  Express request: medians of calls timed inside real requests, the timer's own ${fmt(ns.express.timerNs)} ns ` +
      `subtracted. ours - caller floor: ${fmt(ns.express.ours.median - ns.express.callerFloor.median)} ns ` +
      `(plain object ${fmt(ns.plain.ours.median - ns.plain.callerFloor.median)} ns)`,
  ];
}

function cpuTable(guard, extras) {
  const rows = [];
  for (const adapter of ADAPTERS) {
    const { medianByVariant } = extras.cpu[adapter];
    for (const variant of CPU_VARIANTS) {
      const v = guard[adapter][variant];
      const loaded = VARIANTS.includes(variant);
      rows.push([
        variant === CPU_VARIANTS[0] ? adapter : '',
        variant,
        fmt(medianByVariant[variant], 1),
        fmt(v.cpuUsPerRequest, 1),
        loaded ? fmt(v.rps) : '-',
        loaded ? fmt(v.p99Ms, 1) : '-',
      ]);
    }
  }
  return [
    '\nGuard in a Nest app: CPU us per request in-process (median and lower decile of the rounds), ' +
      'rps / p99 under autocannon',
    table(['adapter', 'variant', 'CPU us/req', '(p10)', 'rps', 'p99 ms'], rows),
  ];
}

function deltaReport(guard, extras) {
  const parts = ['\nPaired differences, CPU us per request: median of the rounds [95% bootstrap interval]'];
  for (const adapter of ADAPTERS) {
    const { rounds, seconds, contextDeltas } = extras.cpu[adapter];
    const targeted = guard[adapter].deltas;
    const rows = Object.entries({ ...targeted, ...contextDeltas }).map(([name, d]) => [
      `  ${name}${name in targeted ? ' *' : ''}`,
      interval(d),
      fmt(d.highUs - d.lowUs, 2),
      d.settled ? 'yes' : 'no',
    ]);
    parts.push(`${adapter}, ${rounds} rounds in ${fmt(seconds)} s (* has a target):`);
    parts.push(table(['  difference', 'median [interval]', 'width', 'settled'], rows));
    const unsettled = Object.keys(targeted).filter((name) => !targeted[name].settled);
    if (unsettled.length > 0) {
      parts.push(
        `  NOT SETTLED on ${adapter}: ${unsettled.join(', ')}: ` +
          (rounds < MIN_ROUNDS_TO_SETTLE
            ? `${rounds} rounds settle nothing (at least ${MIN_ROUNDS_TO_SETTLE}); run without --quick.`
            : `the interval stayed ${SETTLE_US} us or wider after ${rounds} rounds. The machine was too busy ` +
              `(or the run too short) to tell these apart at ${SETTLE_US} us; rerun on a quiet machine ` +
              'before reading them against a target.'),
      );
    }
  }
  return parts;
}

/** Lines of the guard's sections. */
export function guardReport(guard, extras) {
  return [...microReport(extras.nsByGuard), ...cpuTable(guard, extras), ...deltaReport(guard, extras)];
}
