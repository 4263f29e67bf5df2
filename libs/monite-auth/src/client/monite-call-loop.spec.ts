import {
  MoniteAuthenticationError,
  MoniteAuthError,
  MoniteRateLimitError,
  MoniteUnavailableError,
} from '../errors/index.js';
import { moniteErrorFromResponse } from '../errors/monite-error-response.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { RetryPolicy } from '../tokens/retry-policy.js';
import { abortable, MoniteCallLoop, type MoniteCallSteps } from './monite-call-loop.js';
import type { MoniteAttemptResult } from './monite-http-attempt.js';
import type { MoniteHttpMethod } from './monite-request-options.js';

const RETRY = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const OK: MoniteAttemptResult = { kind: 'response', status: 200, body: '{}' };
const answer = (status: number, retryAfter?: string): MoniteAttemptResult => ({
  kind: 'response',
  status,
  retryAfter,
  body: '',
});
const networkFailure = (retryable = true): MoniteAttemptResult => ({
  kind: 'failed',
  error: new MoniteUnavailableError('no answer', { code: 'ETIMEDOUT' }),
  retryable,
});

/** Fake steps answering from a script; records what the loop asked for. */
function script(results: MoniteAttemptResult[]) {
  const log: string[] = [];
  const steps: MoniteCallSteps = {
    send: async () => {
      log.push('send');
      return results.shift() ?? OK;
    },
    renewCredentials: async () => {
      log.push('renew');
    },
    errorFor: (response) =>
      moniteErrorFromResponse({ ...response, body: undefined, operation: 'GET /x', now: 0 }),
    aborted: () => new MoniteUnavailableError('aborted', { code: 'ABORTED' }),
  };
  return { steps, log };
}

function setup() {
  const clock = new VirtualMoniteClock();
  // Highest jitter, so backoffs are predictable: 100, 200, ...
  const loop = new MoniteCallLoop(new RetryPolicy(RETRY, () => 0.999_999), clock);
  const run = (method: MoniteHttpMethod, steps: MoniteCallSteps, signal = new AbortController().signal) =>
    loop.run(method, steps, signal);
  return { clock, run };
}

async function failure(promise: Promise<unknown>): Promise<MoniteAuthError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: MoniteAuthError) => error,
  );
}

describe('MoniteCallLoop', () => {
  it('returns the first 2xx', async () => {
    const { run, clock } = setup();
    const { steps, log } = script([answer(204)]);
    await expect(run('GET', steps)).resolves.toMatchObject({ status: 204 });
    expect(log).toEqual(['send']);
    expect(clock.sleeps).toEqual([]);
  });

  it('24: replays once after a 401 with new credentials, without counting it as a retry', async () => {
    const { run } = setup();
    const { steps, log } = script([answer(401), answer(503), answer(503), OK]);
    await run('GET', steps);
    expect(log).toEqual(['send', 'renew', 'send', 'send', 'send']);
  });

  it('24: a second 401 is final', async () => {
    const { run } = setup();
    const { steps, log } = script([answer(401), answer(401)]);
    expect(await failure(run('GET', steps))).toBeInstanceOf(MoniteAuthenticationError);
    expect(log).toEqual(['send', 'renew', 'send']);
  });

  it.each(['GET', 'PUT', 'DELETE'] as const)(
    '21: %s: 5xx and no answer back off on the clock, up to maxRetries',
    async (method) => {
      const { run, clock } = setup();
      const { steps, log } = script([answer(502), networkFailure(), answer(500)]);
      const error = await failure(run(method, steps));
      expect(error).toBeInstanceOf(MoniteUnavailableError);
      expect(error.status).toBe(500);
      expect(log).toEqual(['send', 'send', 'send']);
      expect(clock.sleeps).toEqual([100, 200]);
    },
  );

  it.each(['POST', 'PATCH'] as const)(
    '%s is never retried: Monite may have done the work',
    async (method) => {
      for (const result of [answer(503), answer(429, '1'), networkFailure()]) {
        const { run, clock } = setup();
        const { steps, log } = script([result]);
        await failure(run(method, steps));
        expect(log).toEqual(['send']);
        expect(clock.sleeps).toEqual([]);
      }
    },
  );

  it('20: a 429 waits Retry-After on the clock; beyond maxRetryAfterMs it ends with retryAfterMs', async () => {
    const first = setup();
    const waited = script([answer(429, '2')]);
    await first.run('GET', waited.steps);
    expect(first.clock.sleeps).toEqual([2_000]);

    const second = setup();
    const tooLong = script([answer(429, '60')]);
    const error = await failure(second.run('GET', tooLong.steps));
    expect(error).toBeInstanceOf(MoniteRateLimitError);
    expect(error.retryAfterMs).toBe(60_000);
    expect(tooLong.log).toEqual(['send']);
    expect(second.clock.sleeps).toEqual([]);
  });

  it('22: 400, 403, 404, 409 and 422 are final; an answer too large is not tried again', async () => {
    for (const result of [
      answer(400),
      answer(403),
      answer(404),
      answer(409),
      answer(422),
      networkFailure(false),
    ]) {
      const { run } = setup();
      const { steps, log } = script([result]);
      await failure(run('GET', steps));
      expect(log).toEqual(['send']);
    }
  });

  it('an aborted attempt ends the call with the abort error', async () => {
    const { run } = setup();
    const { steps } = script([{ kind: 'aborted' }]);
    expect((await failure(run('GET', steps))).code).toBe('ABORTED');
  });

  it('a wait ends as soon as the signal aborts (the module shutting down)', async () => {
    const controller = new AbortController();
    const sleeps: number[] = [];
    const clock = {
      now: () => 0,
      monotonic: () => 0,
      // A wait that only the signal can end.
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((_, reject) => {
          sleeps.push(ms);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    };
    const loop = new MoniteCallLoop(new RetryPolicy(RETRY), clock);
    const { steps } = script([answer(429, '3')]);
    const pending = failure(loop.run('GET', steps, controller.signal));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleeps).toEqual([3_000]);
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
  });
});

const aborted = () => new Error('aborted');

describe('abortable', () => {
  it('settles with the work, or with the abort error as soon as the signal aborts', async () => {
    await expect(abortable(Promise.resolve(1), new AbortController().signal, aborted)).resolves.toBe(1);
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const pending = abortable(never, controller.signal, aborted);
    controller.abort();
    await expect(pending).rejects.toThrow('aborted');
    await expect(abortable(Promise.resolve(1), controller.signal, aborted)).rejects.toThrow('aborted');
  });
});
