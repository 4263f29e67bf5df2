import type { MoniteClock } from '../tokens/monite-clock.js';

interface PendingTimeout {
  /** Monotonic time at which it fires. */
  at: number;
  controller: AbortController;
}

/**
 * A clock under a test's control, to put in place of the real one:
 * `Test.createTestingModule(...).overrideProvider(MONITE_AUTH_CLOCK).useValue(clock)`.
 *
 * Wall and monotonic time start frozen and move on `advance`; with a `rate` above 0 they also run
 * at `rate` virtual ms per real ms. `sleep` (retry backoff, `Retry-After`) records the delay and
 * advances time at once instead of waiting. `timeout(ms)` signals abort once virtual time has moved
 * `ms` on (through `advance`, a `sleep`, or the rate). `jumpWall` moves only the wall clock (an NTP step).
 */
export class VirtualMoniteClock implements MoniteClock {
  /** Every delay slept, in order. */
  readonly sleeps: number[] = [];
  private offset = 0;
  private wallJump = 0;
  private readonly realStart = performance.now();
  private readonly timeouts = new Set<PendingTimeout>();

  /**
   * @param rate virtual ms per real ms; 0 (the default) keeps time frozen between `advance` calls
   * @param wallStart wall-clock epoch ms at the start
   */
  constructor(
    private readonly rate = 0,
    private readonly wallStart = Date.UTC(2030, 0, 1),
  ) {}

  now(): number {
    return this.wallStart + this.elapsed() + this.wallJump;
  }

  monotonic(): number {
    return 1_000_000 + this.elapsed();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.offset += ms;
    this.fireDue();
    // Lets I/O callbacks run, as a real wait would.
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }

  timeout(ms: number): AbortSignal {
    const pending: PendingTimeout = { at: this.monotonic() + ms, controller: new AbortController() };
    this.timeouts.add(pending);
    if (ms <= 0) this.fireDue();
    else if (this.rate > 0) {
      // Virtual time also runs by itself: look again when it should have got there.
      setTimeout(() => this.fireDue(), Math.ceil(ms / this.rate) + 1).unref();
    }
    return pending.controller.signal;
  }

  /** Moves wall and monotonic time forward by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
    this.fireDue();
  }

  /** Moves only the wall clock, by `ms` (negative: back). */
  jumpWall(ms: number): void {
    this.wallJump += ms;
  }

  /** Timeouts not fired yet. */
  get pendingTimeouts(): number {
    return this.timeouts.size;
  }

  private fireDue(): void {
    const now = this.monotonic();
    for (const pending of this.timeouts) {
      if (pending.at > now) continue;
      this.timeouts.delete(pending);
      pending.controller.abort(new DOMException('The virtual clock ran out', 'TimeoutError'));
    }
  }

  private elapsed(): number {
    return this.offset + (this.rate === 0 ? 0 : (performance.now() - this.realStart) * this.rate);
  }
}
