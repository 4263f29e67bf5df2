import type { MoniteAuthError } from '../errors/index.js';
import { moniteErrorFromResponse, parseJsonBody, redact } from '../errors/monite-error-response.js';
import { basicCredentials, formUrlEncode } from '../tokens/oauth2-form-encoding.js';

/** A non-2xx answer as one attempt received it. */
export interface MoniteErrorAnswer {
  status: number;
  retryAfter?: string;
  body: string;
}

/** Nested JSON deeper than this is dropped: Monite's error bodies are three levels deep. */
const MAX_SCRUB_DEPTH = 16;

/**
 * Turns Monite's error answers into the library's errors, with every secret scrubbed first: the
 * client secret in each form it takes on the wire, and the bearer tokens the call used, should
 * Monite echo one. Scrubbing the whole parsed body before any field is read or cut to length means
 * no part of a secret survives in `message`, `moniteMessage`, `code` or the HTTP exception body.
 * The secret forms live in a private field: inspecting the client never shows them.
 */
export class MoniteCallErrors {
  readonly #secretForms: readonly string[];

  constructor(clientId: string, clientSecret: string) {
    this.#secretForms = [
      clientSecret,
      encodeURIComponent(clientSecret),
      formUrlEncode(clientSecret),
      JSON.stringify(clientSecret).slice(1, -1),
      basicCredentials(clientId, clientSecret),
      Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64'),
    ];
  }

  /** The error for a non-2xx answer to a call made with `tokens`. */
  fromAnswer(
    answer: MoniteErrorAnswer,
    operation: string,
    tokens: readonly string[],
    now: number,
  ): MoniteAuthError {
    const secrets = this.secretsOf(tokens);
    return moniteErrorFromResponse({
      status: answer.status,
      body: scrubJson(parseJsonBody(answer.body), secrets, 0),
      retryAfter: answer.retryAfter,
      now,
      operation: this.scrub(operation, tokens),
      secrets,
    });
  }

  /** `text` with every secret and token of the call replaced. */
  scrub(text: string, tokens: readonly string[]): string {
    return redact(text, this.secretsOf(tokens)) ?? text;
  }

  private secretsOf(tokens: readonly string[]): string[] {
    const forms = tokens.flatMap((token) => [
      token,
      encodeURIComponent(token),
      JSON.stringify(token).slice(1, -1),
    ]);
    return [...this.#secretForms, ...forms];
  }
}

/** Every string of a parsed JSON value (keys included) with the secrets replaced. */
function scrubJson(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_SCRUB_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redact(key, secrets), scrubJson(item, secrets, depth + 1)]),
  );
}
