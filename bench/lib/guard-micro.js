/*
 * ns per canActivate of ours, the two floors and the CASL guard, the role (or ability) cached.
 *
 * Two request shapes:
 * - Express (the target's): each call timed inside a real request to the Express app over
 *   loopback, by a guard wrapping the one measured (`/bench/timed/NAME`): the request object is
 *   fresh, hot in the cache and just handled by Node's HTTP parser, Express and Nest's body parser
 *   (which reads the headers first), as in production; what a guard stores on it changes its
 *   hidden class every time, as in production. The median over calls, minus the median of an
 *   empty guard (the timer's own cost). Wall clock per call: a call is far shorter than a time
 *   slice, so the few calls a busy machine interrupts fall outside the median.
 * - plain: one plain object with the usual headers, reused, in a tight loop, in CPU time (the figure
 *   of the bench before issue 11).
 */
import { Agent, request as httpRequest } from 'node:http';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { MonitePermissionGuard } from 'nestjs-monite-auth';
import { BenchController, CALLER_HEADERS, TIMED_GUARDS } from './bench-app.js';
import { CallerFloorGuard, CaslGuard, GuardTimer, TrivialGuard } from './bench-guards.js';
import { median, summarize } from './measure.js';

/** The guards timed, each on the route it guards. */
function guardsOf(app) {
  const prototype = BenchController.prototype;
  return {
    ours: [app.get(MonitePermissionGuard), prototype.ours],
    callerFloor: [app.get(CallerFloorGuard), prototype.callerFloor],
    trivial: [app.get(TrivialGuard), prototype.trivial],
    casl: [app.get(CaslGuard), prototype.casl],
  };
}

/** CPU nanoseconds per call of `run(n)` doing `n` calls. */
function cpuNanoseconds(run, n) {
  const before = process.cpuUsage();
  run(n);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / n;
}

/** Calls `guard.canActivate` on each host once; throws unless every call passed synchronously. */
function passAll(name, guard, hosts) {
  return (n) => {
    let passed = 0;
    for (let i = 0; i < n; i++) if (guard.canActivate(hosts[i]) === true) passed++;
    if (passed !== n) throw new Error(`${name} guard did not pass synchronously`);
  };
}

/** `count` GET requests to `path` over loopback, 8 at a time, each checked for a 200. */
async function sendRequests(agent, port, path, count) {
  let next = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port, path, agent, headers: CALLER_HEADERS };
      httpRequest(options, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
        response.resume().on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
  const worker = async () => {
    while (next++ < count) await one();
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * Express's request shape: `rounds` rounds, each sending `batch` requests per guard (order rotated).
 * The app must be listening.
 *
 * @returns name -> { median, min, max } in ns (min and max: of the rounds' medians), and the
 *   timer's own median as `timerNs`
 */
export async function expressShapeNanoseconds(app, { rounds, batch }) {
  const { port } = app.getHttpServer().address();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const timer = app.get(GuardTimer);
  const guards = guardsOf(app);
  for (const [name, [guard]] of Object.entries(guards)) timer.guards[name] = guard;
  const names = TIMED_GUARDS;
  const calls = Object.fromEntries(names.map((name) => [name, []]));
  const roundMedians = Object.fromEntries(names.map((name) => [name, []]));
  try {
    // Warm-up: the first call of ours loads the role (a Promise); then the JIT's tiers.
    for (const name of names) {
      await sendRequests(agent, port, `/bench/timed/${name}`, batch * 2);
      timer.take(name);
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        await sendRequests(agent, port, `/bench/timed/${name}`, batch);
        const ns = timer.take(name);
        if (ns.length !== batch) throw new Error(`${name}: ${ns.length} timed calls, expected ${batch}`);
        calls[name].push(...ns);
        roundMedians[name].push(median(ns));
      }
    }
  } finally {
    agent.destroy();
  }
  const timerNs = median(calls.empty);
  const out = { timerNs };
  for (const name of names.filter((timed) => timed !== 'empty')) {
    out[name] = {
      median: median(calls[name]) - timerNs,
      min: Math.min(...roundMedians[name]) - timerNs,
      max: Math.max(...roundMedians[name]) - timerNs,
    };
  }
  return out;
}

/** A request as an HTTP adapter hands it to a guard, as a plain object with the usual headers. */
function plainRequest() {
  return {
    method: 'GET',
    url: '/bench/ours',
    params: {},
    query: {},
    headers: {
      host: '127.0.0.1:3000',
      'user-agent': 'Mozilla/5.0 (bench)',
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate, br',
      connection: 'keep-alive',
      authorization: 'Bearer not-a-real-token',
      ...CALLER_HEADERS,
    },
  };
}

/**
 * The plain shape: four reused plain requests per guard, `samples` interleaved samples of about
 * `sampleMs` CPU milliseconds each.
 *
 * @returns name -> { median, min, max } in ns
 */
export async function plainShapeNanoseconds(app, { samples, sampleMs }) {
  const guards = guardsOf(app);
  const names = Object.keys(guards);
  const runs = {};
  const sizes = {};
  for (const name of names) {
    const [guard, handler] = guards[name];
    const hosts = Array.from(
      { length: 4 },
      () => new ExecutionContextHost([plainRequest(), {}, () => undefined], BenchController, handler),
    );
    if ((await guard.canActivate(hosts[0])) !== true)
      throw new Error(`${name} guard denied the bench caller`);
    const cycled = Array.from({ length: 1024 }, (_, i) => hosts[i & 3]);
    runs[name] = (n) => {
      for (let done = 0; done < n; done += cycled.length)
        passAll(name, guard, cycled)(Math.min(cycled.length, n - done));
    };
    // Sized from a first measurement, which also runs the code through the JIT's tiers.
    const perCall = median(Array.from({ length: 5 }, () => cpuNanoseconds(runs[name], 20_480)));
    sizes[name] = Math.max(
      cycled.length,
      Math.round((sampleMs * 1e6) / perCall / cycled.length) * cycled.length,
    );
  }
  const ns = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < samples; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      ns[name].push(cpuNanoseconds(runs[name], sizes[name]));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(ns[name])]));
}
