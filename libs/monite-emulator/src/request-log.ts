import type { IncomingHttpHeaders } from 'node:http';
import type { MoniteEmulatorRequestRecord } from './emulator.types.js';

/** What the emulator remembers of one request: no Authorization value, no body value. */
export type RecordedRequest = MoniteEmulatorRequestRecord;

/** Keeps at most this many recorded requests (oldest dropped first). */
const MAX_RECORDED = 1000;

/** Counts requests per route key and keeps a short, redacted history. */
export class RequestLog {
  private readonly counts = new Map<string, number>();
  private total = 0;
  private history: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    this.total += 1;
    if (entry.route !== undefined) this.counts.set(entry.route, (this.counts.get(entry.route) ?? 0) + 1);
    this.history.push(entry);
    if (this.history.length > MAX_RECORDED) this.history.splice(0, this.history.length - MAX_RECORDED);
  }

  count(route?: string): number {
    return route === undefined ? this.total : (this.counts.get(route) ?? 0);
  }

  requests(route?: string): RecordedRequest[] {
    const selected = route === undefined ? this.history : this.history.filter((r) => r.route === route);
    return selected.map((r) => ({ ...r, headers: { ...r.headers }, bodyFields: [...r.bodyFields] }));
  }

  clear(): void {
    this.counts.clear();
    this.total = 0;
    this.history = [];
  }
}

/** Header values as strings, with the credential part of `Authorization` removed. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization' || name === 'proxy-authorization' || name === 'cookie') {
      const scheme = /^\s*(\S+)/.exec(text)?.[1] ?? '';
      out[name] = scheme && scheme !== text.trim() ? `${scheme} [redacted]` : '[redacted]';
    } else {
      out[name] = text;
    }
  }
  return out;
}
