import { validationError } from '../http/http-error.js';

/** A page request: where to start, how many, and the filters the list was asked with. */
export interface PageRequest {
  offset: number;
  limit: number;
  filters: Record<string, string>;
}

/** Monite's cursor-paginated list body. */
export interface Page<T> {
  data: T[];
  prev_pagination_token: string | null;
  next_pagination_token: string | null;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100;

/**
 * Reads `limit`, `pagination_token` and the allowed filters from the query. As on Monite, a
 * `pagination_token` carries the original limit and filters, and other query parameters are
 * then ignored. Bad values: 422.
 */
export function readPageRequest(query: URLSearchParams, filterNames: readonly string[]): PageRequest {
  const token = query.get('pagination_token');
  if (token !== null) return decodeToken(token, filterNames);
  let limit = DEFAULT_LIMIT;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit)) {
      throw validationError([
        { loc: ['query', 'limit'], msg: 'Input should be a valid integer', type: 'int_parsing' },
      ]);
    }
    limit = Number(rawLimit);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw validationError([
        {
          loc: ['query', 'limit'],
          msg: `Input should be ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_LIMIT}`}`,
          type: limit < 1 ? 'greater_than_equal' : 'less_than_equal',
        },
      ]);
    }
  }
  const filters: Record<string, string> = {};
  for (const name of filterNames) {
    const value = query.get(name);
    if (value !== null) filters[name] = value;
  }
  return { offset: 0, limit, filters };
}

/** Slices an already filtered list into one page with opaque cursors. */
export function paginate<T>(items: T[], request: PageRequest): Page<T> {
  const { offset, limit, filters } = request;
  const data = items.slice(offset, offset + limit);
  return {
    data,
    prev_pagination_token:
      offset > 0 ? encodeToken({ offset: Math.max(0, offset - limit), limit, filters }) : null,
    next_pagination_token:
      offset + limit < items.length ? encodeToken({ offset: offset + limit, limit, filters }) : null,
  };
}

function encodeToken(request: PageRequest): string {
  return Buffer.from(JSON.stringify({ o: request.offset, l: request.limit, f: request.filters })).toString(
    'base64url',
  );
}

function decodeToken(token: string, filterNames: readonly string[]): PageRequest {
  const invalid = validationError([
    { loc: ['query', 'pagination_token'], msg: 'Invalid pagination token', type: 'value_error' },
  ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (parsed === null || typeof parsed !== 'object') throw invalid;
  const { o, l, f } = parsed as { o?: unknown; l?: unknown; f?: unknown };
  if (
    !Number.isInteger(o) ||
    (o as number) < 0 ||
    !Number.isInteger(l) ||
    (l as number) < 1 ||
    (l as number) > MAX_LIMIT
  ) {
    throw invalid;
  }
  if (f === null || typeof f !== 'object') throw invalid;
  const filters: Record<string, string> = {};
  for (const [name, value] of Object.entries(f)) {
    if (!filterNames.includes(name) || typeof value !== 'string') throw invalid;
    filters[name] = value;
  }
  return { offset: o as number, limit: l as number, filters };
}
