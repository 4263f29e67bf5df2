import type { MoniteAuthError } from '../errors/index.js';
import { moniteErrorFromResponse, parseJsonBody } from '../errors/monite-error-response.js';
import type { MoniteSecretScrubber } from '../errors/monite-secret-scrubber.js';

/** A non-2xx answer as one attempt received it. */
export interface MoniteErrorAnswer {
  status: number;
  retryAfter?: string;
  body: string;
}

/**
 * Turns Monite's error answers into the library's errors with every secret scrubbed: the client
 * secret in each form it takes on the wire (the credentials' scrubber), and the bearer tokens the
 * call used, should Monite echo one. Monite's strings are scrubbed before they are read or cut to
 * length, so no part of a secret survives in `message`, `moniteMessage`, `code` or the HTTP body.
 */
export class MoniteCallErrors {
  constructor(private readonly secrets: MoniteSecretScrubber) {}

  /** The error for a non-2xx answer to a call made with `tokens`. */
  fromAnswer(
    answer: MoniteErrorAnswer,
    operation: string,
    tokens: readonly string[],
    now: number,
  ): MoniteAuthError {
    const scrubber = this.scrubberFor(tokens);
    return moniteErrorFromResponse({
      status: answer.status,
      body: parseJsonBody(answer.body),
      retryAfter: answer.retryAfter,
      now,
      operation: scrubber.scrub(operation),
      secrets: scrubber,
    });
  }

  private scrubberFor(tokens: readonly string[]): MoniteSecretScrubber {
    if (tokens.length === 0) return this.secrets;
    return this.secrets.with(
      ...tokens.flatMap((token) => [token, encodeURIComponent(token), JSON.stringify(token).slice(1, -1)]),
    );
  }
}
