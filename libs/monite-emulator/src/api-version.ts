import type { IncomingHttpHeaders } from 'node:http';
import { moniteError } from './http/http-error.js';

/** API versions Monite has published, newest first. Monite's own SDK pins 2024-05-25. */
export const MONITE_API_VERSIONS = [
  '2025-06-23',
  '2024-05-25',
  '2024-01-31',
  '2023-09-01',
  '2023-06-04',
  '2023-04-12',
  '2023-03-14',
  '2023-03-01',
  '2023-02-07',
  '2022-11-16',
] as const;

/**
 * Every `/v1` request must name a known API version in `x-monite-version`: absent -> 400
 * `missing_api_version` (Monite's exact body); malformed or unknown -> 400 `invalid_api_version`.
 * The value is never echoed back.
 */
export function checkApiVersion(headers: IncomingHttpHeaders): void {
  const value = headers['x-monite-version'];
  if (value === undefined || value === '') {
    throw moniteError(400, 'Missing the x-monite-version HTTP header', 'missing_api_version');
  }
  if (typeof value !== 'string' || !(MONITE_API_VERSIONS as readonly string[]).includes(value.trim())) {
    throw moniteError(
      400,
      `Invalid x-monite-version HTTP header: expected one of ${MONITE_API_VERSIONS.join(', ')}`,
      'invalid_api_version',
    );
  }
}
