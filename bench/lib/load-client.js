/*
 * Child process that runs autocannon for the parent, so the load generator does not share the
 * server's event loop. Receives `{ url, headers, durationS, connections }`, answers with the result.
 */
import autocannon from 'autocannon';

process.on('message', async (job) => {
  if (job === 'exit') return process.disconnect();
  const result = await autocannon({
    url: job.url,
    headers: job.headers,
    duration: job.durationS,
    connections: job.connections,
    pipelining: 1,
  });
  process.send({
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  });
});
process.send('ready');
