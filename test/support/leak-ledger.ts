/*
 * The one leak ledger of the test suites: every log line, hook event and error a spec produced,
 * and every secret it handled, so a spec can assert that no secret appears anywhere (checklist 31).
 */
import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import type { MoniteAuthHooks } from 'nestjs-monite-auth';

/**
 * Every form a client secret takes on the wire: raw, percent-encoded, form-encoded (RFC 6749
 * Appendix B), JSON-escaped, and both Basic credential forms. Written here independently of the
 * library's encoder, so a bug there cannot hide a leak.
 */
export function secretForms(clientId: string, secret: string): string[] {
  const form = (value: string) =>
    encodeURIComponent(value)
      .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return [
    secret,
    encodeURIComponent(secret),
    form(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(`${form(clientId)}:${form(secret)}`).toString('base64'),
    Buffer.from(`${clientId}:${secret}`).toString('base64'),
  ];
}

/**
 * Renderings of binary key material (an encryption key, a derived key) as it could show up in
 * output: hex, base64, base64url, and the opening bytes as `util.inspect` and `JSON.stringify`
 * print a Buffer or a Uint8Array.
 */
export function binarySecretForms(bytes: Uint8Array): string[] {
  // A view, not a copy: a copy would come from Node's shared Buffer pool, where any pooled Buffer
  // shown with `showHidden` would then reveal the test's own copy of the key.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = [...buffer.subarray(0, 8)];
  return [
    buffer.toString('hex'),
    buffer.toString('base64'),
    buffer.toString('base64url'),
    head.map((byte) => byte.toString(16).padStart(2, '0')).join(' '),
    head.join(', '),
    head.join(','),
    head.map((byte, i) => `"${i}":${byte}`).join(','),
  ];
}

/**
 * The texts that contain one of the secrets, each described by the secret's length, where it is, and
 * what precedes it (never the secret itself). Secrets are grouped by length and every window of a text is looked up
 * in a set, so ten thousand tokens against ten thousand lines stays linear.
 */
export function findSecrets(texts: Iterable<string>, secrets: Iterable<string>): string[] {
  const byLength = new Map<number, Set<string>>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const group = byLength.get(secret.length) ?? new Set<string>();
    group.add(secret);
    byLength.set(secret.length, group);
  }
  const found: string[] = [];
  for (const text of texts) {
    for (const [length, group] of byLength) {
      for (let at = 0; at + length <= text.length; at++) {
        if (group.has(text.slice(at, at + length))) {
          const before = text.slice(Math.max(0, at - 80), at);
          found.push(`a secret of length ${length} at ${at}, after: ${before}`);
          break;
        }
      }
    }
  }
  return found;
}

/** Everything the library said or threw during a spec file, and every secret it handled. */
export class LeakLedger implements LoggerService {
  readonly logs: string[] = [];
  readonly events: string[] = [];
  readonly errors: string[] = [];
  /** Secrets to look for: those given, plus tokens and Authorization values seen on the wire. */
  readonly secrets: Set<string>;
  readonly tokens = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    this.secrets = new Set(secrets);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.line('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.line('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.line('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.line('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.line('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.line('fatal', message, rest);
  }

  /** Lines logged with context `MoniteAuth` at `level`. */
  lines(level?: string): string[] {
    return this.logs.filter(
      (line) => line.includes('[MoniteAuth]') && (!level || line.startsWith(`${level} `)),
    );
  }

  /** Records an error in every form a user could log it. */
  recordError(error: unknown): void {
    this.errors.push(
      String((error as Error)?.message),
      JSON.stringify(error),
      inspect(error),
      inspect(error, { showHidden: true, depth: 10 }),
      String((error as Error)?.stack),
    );
  }

  /** Hooks that record every event (and the error inside failure events). */
  hooks(): MoniteAuthHooks {
    const record = (name: string) => (event: unknown) => {
      this.events.push(`${name} ${JSON.stringify(event)} ${inspect(event, { depth: 10 })}`);
    };
    return {
      onTokenFetched: record('onTokenFetched'),
      onTokenRefreshed: record('onTokenRefreshed'),
      onTokenFailed: record('onTokenFailed'),
      onTokenRevoked: record('onTokenRevoked'),
    };
  }

  /** Adds a token (and its Authorization forms) to the secrets to look for. */
  addToken(token: string): void {
    this.tokens.add(token);
    this.secrets.add(token);
    this.secrets.add(`Bearer ${token}`);
  }

  /** Strings of the output that contain a secret, with the secret's length (never the secret). */
  leaks(): string[] {
    return findSecrets([...this.logs, ...this.events, ...this.errors], this.secrets);
  }

  private line(level: string, message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : '';
    this.logs.push(
      `${level} [${context}] ${typeof message === 'string' ? message : inspect(message)} ${inspect(rest)}`,
    );
  }
}

/** Awaits a promise expected to reject; records the error in the ledger (when given) and returns it. */
export async function rejection(promise: Promise<unknown>, ledger?: LeakLedger): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    ledger?.recordError(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}
