import type { MoniteEmulatorFault } from './emulator.types.js';

/**
 * One-shot faults queued per route key. Each request on the route takes the oldest queued
 * fault, so `fault(k, {status: 503})` twice makes the next two requests fail and the third pass.
 */
export class FaultQueue {
  private readonly queues = new Map<string, MoniteEmulatorFault[]>();

  add(route: string, fault: MoniteEmulatorFault): void {
    assertValidFault(fault);
    const queue = this.queues.get(route) ?? [];
    queue.push({ ...fault });
    this.queues.set(route, queue);
  }

  /** The next fault for a route, removed from the queue, or undefined. */
  take(route: string): MoniteEmulatorFault | undefined {
    const queue = this.queues.get(route);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(route);
    return fault;
  }

  /** How many faults are still waiting on a route (or on all routes). */
  pending(route?: string): number {
    if (route !== undefined) return this.queues.get(route)?.length ?? 0;
    let total = 0;
    for (const queue of this.queues.values()) total += queue.length;
    return total;
  }

  clear(): void {
    this.queues.clear();
  }
}

function assertValidFault(fault: MoniteEmulatorFault): void {
  if (fault === null || typeof fault !== 'object') throw new TypeError('fault: expected an object');
  const kinds = ['delayMs', 'status', 'retryAfter', 'malformed', 'body', 'hang', 'reset'] as const;
  const unknown = Object.keys(fault).filter((k) => !(kinds as readonly string[]).includes(k));
  if (unknown.length > 0) throw new TypeError(`fault: unknown field(s) ${unknown.join(', ')}`);
  if (!kinds.some((k) => fault[k] !== undefined && fault[k] !== false)) {
    throw new TypeError(
      'fault: give at least one of delayMs, status, retryAfter, malformed, body, hang, reset',
    );
  }
  if (fault.delayMs !== undefined && (!Number.isFinite(fault.delayMs) || fault.delayMs < 0)) {
    throw new RangeError('fault.delayMs must be a finite number >= 0');
  }
  if (
    fault.status !== undefined &&
    (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
  ) {
    throw new RangeError('fault.status must be an HTTP status between 100 and 599');
  }
  const endings = [fault.hang, fault.reset, fault.malformed].filter(Boolean).length;
  if (endings > 1) throw new TypeError('fault: hang, reset and malformed exclude each other');
  if (endings === 1 && (fault.status !== undefined || fault.body !== undefined)) {
    throw new TypeError('fault: status/body cannot be combined with hang, reset or malformed');
  }
}
