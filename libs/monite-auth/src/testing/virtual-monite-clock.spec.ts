import { VirtualMoniteClock } from './virtual-monite-clock.js';

describe('VirtualMoniteClock', () => {
  it('starts frozen at the given wall time; advance moves wall and monotonic time', () => {
    const clock = new VirtualMoniteClock(0, 1_000);
    const start = clock.monotonic();
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(clock.monotonic() - start).toBe(250);
  });

  it('jumpWall moves only the wall clock', () => {
    const clock = new VirtualMoniteClock(0, 1_000);
    const start = clock.monotonic();
    clock.jumpWall(-500);
    expect(clock.now()).toBe(500);
    expect(clock.monotonic()).toBe(start);
  });

  it('sleep records the delay and advances time at once; an aborted signal rejects', async () => {
    const clock = new VirtualMoniteClock();
    const start = clock.monotonic();
    await clock.sleep(2_000);
    expect(clock.sleeps).toEqual([2_000]);
    expect(clock.monotonic() - start).toBe(2_000);
    const aborted = AbortSignal.abort(new Error('stop'));
    await expect(clock.sleep(1, aborted)).rejects.toThrow('stop');
  });

  it('timeout fires once virtual time has moved on by its delay, by advance or by a sleep', async () => {
    const clock = new VirtualMoniteClock();
    const byAdvance = clock.timeout(1_000);
    const bySleep = clock.timeout(3_000);
    clock.advance(999);
    expect(byAdvance.aborted).toBe(false);
    clock.advance(1);
    expect(byAdvance.aborted).toBe(true);
    expect((byAdvance.reason as DOMException).name).toBe('TimeoutError');
    await clock.sleep(2_000);
    expect(bySleep.aborted).toBe(true);
    expect(clock.pendingTimeouts).toBe(0);
    expect(clock.timeout(0).aborted).toBe(true);
  });

  it('with a rate, time runs by itself and a timeout fires without advance', async () => {
    const clock = new VirtualMoniteClock(100);
    const signal = clock.timeout(1_000); // 10 ms of real time
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect(signal.aborted).toBe(true);
  });
});
