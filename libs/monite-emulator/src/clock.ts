/**
 * The emulator's clock: real time plus an offset tests can move forward, so token expiry and
 * rate-limit windows can be exercised without sleeping.
 */
export class EmulatorClock {
  private offsetMs = 0;

  /** @param source the underlying time (unit tests pass a fixed one). */
  constructor(private readonly source: () => number = Date.now) {}

  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number {
    return this.source() + this.offsetMs;
  }

  /** Moves the clock forward by `ms` (a negative value is refused: time does not run backwards here). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError('advanceClock(ms) needs a finite, non-negative number of milliseconds');
    }
    this.offsetMs += ms;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
