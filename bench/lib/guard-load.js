/*
 * rps and p99 of the guard variants under autocannon over loopback. autocannon runs in a child
 * process (load-client.js), so the load generator has its own event loop.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CALLER_HEADERS, VARIANTS } from './bench-app.js';

export async function startLoadClient() {
  const child = fork(fileURLToPath(new URL('./load-client.js', import.meta.url)), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await once(child, 'message');
  return {
    async run(job) {
      child.send(job);
      const [result] = await once(child, 'message');
      return result;
    },
    async stop() {
      child.send('exit');
      await once(child, 'exit');
    },
  };
}

/** rps and p99 of each variant under load, runs interleaved. Leaves the app listening. */
export async function underLoad(app, client, { rounds, durationS, warmupS, connections }) {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const runs = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  // A short unmeasured run per variant first: the JIT and the sockets warm up.
  for (const variant of warmupS > 0 ? VARIANTS : []) {
    const url = `http://127.0.0.1:${port}/bench/${variant}`;
    await client.run({ url, headers: CALLER_HEADERS, durationS: warmupS, connections });
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const result = await client.run({
        url: `http://127.0.0.1:${port}/bench/${variant}`,
        headers: CALLER_HEADERS,
        durationS,
        connections,
      });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`autocannon on /bench/${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      runs[variant].push(result);
    }
  }
  return runs;
}
