const REDACTED = '[redacted]';

/**
 * Removes secrets (the client secret in each form it takes on the wire, a token) from text a server
 * sent back, before anything of that text reaches an error. Every occurrence of every secret is
 * found in the original text first and the union of them is replaced, so secrets that overlap, or
 * a short secret that also occurs inside a longer one, leave no part visible. The secrets live in a
 * private field: the scrubber shows nothing of them when inspected or serialised.
 */
export class MoniteSecretScrubber {
  readonly #secrets: readonly string[];

  /** Empty strings and non-strings are ignored; any other secret, however short, is scrubbed. */
  constructor(secrets: Iterable<string | undefined> = []) {
    const unique = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret === '') continue;
      unique.add(secret);
      // A server that re-encodes may write percent-escapes in lower case.
      if (/%[0-9A-F]{2}/.test(secret))
        unique.add(secret.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    }
    this.#secrets = [...unique];
  }

  /** A scrubber for these secrets and `more` (e.g. the bearer token of one call). */
  with(...more: ReadonlyArray<string | undefined>): MoniteSecretScrubber {
    return new MoniteSecretScrubber([...this.#secrets, ...more]);
  }

  /** `text` with every occurrence of every secret replaced by `[redacted]`. */
  scrub(text: string): string {
    let covered: Uint8Array | undefined;
    for (const secret of this.#secrets) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
        covered ??= new Uint8Array(text.length);
        covered.fill(1, at, at + secret.length);
      }
    }
    if (covered === undefined) return text;
    let result = '';
    for (let at = 0; at < text.length;) {
      const start = at;
      const hidden = covered[at] === 1;
      while (at < text.length && (covered[at] === 1) === hidden) at++;
      result += hidden ? REDACTED : text.slice(start, at);
    }
    return result;
  }
}
