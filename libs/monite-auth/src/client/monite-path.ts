/*
 * Monite paths, safe by construction. A path is a template relative to the API base URL
 * (`/payables/{id}/approve`): its literal part is written by the app and held to a strict
 * character set; each `{name}` is a whole segment filled from `params` with `encodeURIComponent`.
 * Nothing a parameter holds can add, remove or climb a segment, and nothing a literal holds can be
 * read by a URL parser (WHATWG, which axios uses) or by Monite as another path.
 */

/** Values for the `{name}` placeholders of a path template. */
export type MonitePathParams = Readonly<Record<string, string | number>>;

/** A path ready to be appended to the base URL. */
export interface MonitePath {
  /** The path with every placeholder filled, e.g. `/payables/3f0c.../approve`. */
  readonly path: string;
  /** The template up to its first placeholder (the whole path when it has none): no request leaves it. */
  readonly prefix: string;
}

const PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
/** RFC 3986 `pchar` without `%`: unreserved, sub-delims, `:` and `@`. A URL parser keeps these as they are. */
const LITERAL_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;
/**
 * Escapes a literal may not hold: `.` (a dot segment), `/`, `\`, `%` (a second decoding),
 * controls, and any non-ASCII byte (`%c0%af` is an overlong `/` to a lax UTF-8 decoder).
 */
const FORBIDDEN_ESCAPE = /^(2e|2f|5c|25|[01][0-9a-f]|7f|[89a-f][0-9a-f])$/i;

/**
 * Fills a path template and checks it. Throws a `TypeError` (a programming error, raised before
 * any request) for: a path that does not start with `/` (absolute URLs), `//` (protocol-relative,
 * or an empty segment), a dot segment, a backslash, `?` or `#`, a control or non-ASCII character,
 * `%2e`/`%2f`/`%5c`/`%25`/control/non-ASCII escapes or a malformed `%`, a `{`/`}` that is not a whole-segment
 * placeholder; a placeholder without a parameter, a parameter without a placeholder, and a
 * parameter that is not a string or a finite number, is empty, is not well-formed Unicode, or
 * (as it is or once percent-decoded) is `.` or `..` or holds `/` or `\`. The error never quotes the path: it may hold user input.
 */
export function buildMonitePath(template: string, params?: MonitePathParams): MonitePath {
  if (typeof template !== 'string') refuse('the path must be a string');
  if (!template.startsWith('/')) refuse('it must start with "/" (absolute URLs are refused)');
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    refuse('options.params must be an object');
  }
  const segments = template.slice(1).split('/');
  const used = new Set<string>();
  let prefix: string | undefined;
  let path = '';
  segments.forEach((segment, index) => {
    const placeholder = PLACEHOLDER.exec(segment);
    if (placeholder === null) {
      checkLiteralSegment(segment, index === segments.length - 1);
      path += `/${segment}`;
      return;
    }
    const name = placeholder[1]!;
    used.add(name);
    prefix ??= path;
    path += `/${encodeParam(name, params)}`;
  });
  for (const name of Object.keys(params ?? {})) {
    if (!used.has(name)) refuse(`params.${name} names no {${name}} placeholder`);
  }
  return { path, prefix: prefix ?? path };
}

function checkLiteralSegment(segment: string, last: boolean): void {
  if (segment === '') {
    // A trailing slash is harmless; `//` elsewhere is protocol-relative or addresses another resource.
    if (!last) refuse('it holds an empty segment ("//")');
    return;
  }
  if (segment === '.' || segment === '..') refuse('it holds a dot segment');
  if (segment.includes('\\')) refuse('it holds a backslash');
  if (/[?#]/.test(segment)) refuse('it holds "?" or "#": pass the query as options.query');
  if (/[{}]/.test(segment)) refuse('a placeholder must be a whole segment, like /payables/{id}');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(segment)) refuse('it holds a control character');
  const parts = segment.split('%');
  if (!LITERAL_CHARS.test(parts[0]!))
    refuse('it holds a character a Monite path never has: pass values as params');
  for (const part of parts.slice(1)) {
    const escape = part.slice(0, 2);
    if (!/^[0-9a-f]{2}$/i.test(escape)) refuse('it holds a "%" that is not an escape');
    if (FORBIDDEN_ESCAPE.test(escape)) {
      refuse(
        'it holds an encoded dot, slash, backslash, "%", control or non-ASCII character: pass values as params',
      );
    }
    if (!LITERAL_CHARS.test(part.slice(2))) {
      refuse('it holds a character a Monite path never has: pass values as params');
    }
  }
}

function encodeParam(name: string, params: MonitePathParams | undefined): string {
  if (params === undefined || !Object.hasOwn(params, name)) refuse(`params.${name} is missing`);
  const value: unknown = params[name];
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(`params.${name} must be a finite number`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    refuse(`params.${name} must be a string or a number`);
  }
  // An empty value would address the collection instead of one of its members.
  if (text === '') refuse(`params.${name} is empty`);
  if (isPathLike(text))
    refuse(`params.${name} holds a slash, a backslash or a dot segment, in some spelling`);
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    refuse(`params.${name} is not well-formed Unicode`);
  }
  return encoded;
}

/**
 * Whether a value is, or once percent-decoded holds, a dot segment, a slash or a backslash.
 * Encoding would keep such a value in its segment on the wire, but `encodeURIComponent` leaves a
 * lone `.` or `..` as it is, and a proxy that decodes `%2F` or `%2e` before routing would read the
 * rest as a path. Monite's path parameters are ids: none of them holds these.
 */
function isPathLike(value: string): boolean {
  const decoded = value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return [value, decoded].some((form) => form === '.' || form === '..' || /[/\\]/.test(form));
}

function refuse(reason: string): never {
  throw new TypeError(`nestjs-monite-auth: Invalid Monite path: ${reason}`);
}
