import type { IncomingMessage } from 'node:http';
import { HttpError, validationError } from './http-error.js';

/** The part of a request the body parsers need. */
interface BodySource {
  readonly rawBody: Buffer;
  readonly mediaType: string | undefined;
}

/** Bodies above this are refused with 413: nothing the library sends comes close. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body (bounded). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: { message: 'Request body too large' } });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request, lower-cased, without parameters (`application/json; charset=utf-8` -> `application/json`). */
export function mediaType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (!header) return undefined;
  return header.split(';')[0]!.trim().toLowerCase();
}

/**
 * Parses a JSON body the way FastAPI does: JSON when the content type is absent or `*json`,
 * otherwise the raw body reaches validation (and fails it). A missing body is `undefined`.
 */
export function parseJsonBody({ rawBody: raw, mediaType: type }: BodySource): unknown {
  if (raw.length === 0) return undefined;
  if (type !== undefined && !type.endsWith('json')) return raw.toString('utf8');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw validationError([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }]);
  }
}

/** Names of the fields of a JSON object or form body, for the request history (values are never kept). */
export function bodyFieldNames({ rawBody: raw, mediaType: type }: BodySource): string[] {
  if (raw.length === 0) return [];
  if (type === 'application/x-www-form-urlencoded') {
    return [...new Set(new URLSearchParams(raw.toString('utf8')).keys())];
  }
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}
