import type { MonitePath } from './monite-path.js';
import type { MoniteQueryValue } from './monite-request-options.js';

/**
 * Absolute URLs under the configured base URL. The path was checked when it was built; this is
 * the second lock: the URL is parsed the way axios will parse it, and a parsed path that is not
 * exactly the one built (or that left the base URL or the template's prefix) is refused.
 */
export class MoniteUrls {
  private readonly origin: string;
  /** The base URL's path without a trailing slash, e.g. `/v1`. */
  private readonly basePath: string;

  /** @param apiUrl the validated base URL, without a trailing slash */
  constructor(private readonly apiUrl: string) {
    const base = new URL(apiUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/$/, '');
  }

  /** The URL of a built path with its query string; a `TypeError` if the URL parser moved the path. */
  build(path: MonitePath, query?: Readonly<Record<string, MoniteQueryValue>>): string {
    const queryString = toQueryString(query);
    const url = new URL(`${this.apiUrl}${path.path}${queryString ? `?${queryString}` : ''}`);
    const expected = `${this.basePath}${path.path}`;
    if (
      url.origin !== this.origin ||
      url.pathname !== expected ||
      !url.pathname.startsWith(`${this.basePath}${path.prefix}`)
    ) {
      throw new TypeError('nestjs-monite-auth: Invalid Monite path: the URL parser would change it');
    }
    return url.href;
  }
}

/** `options.query` as a query string; arrays repeat the key, `undefined` values are left out. */
function toQueryString(query: Readonly<Record<string, MoniteQueryValue>> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return search.toString();
}
