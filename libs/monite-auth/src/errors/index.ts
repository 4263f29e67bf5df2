// Public exports of errors/: the library's error types, how Monite's answers map to them, and how
// they map to HTTP. Re-exported by ../index.ts.
export * from './monite-auth.errors.js';
export { MoniteHttpException, toMoniteHttpException } from './monite-http-exception.js';
export type { MoniteHttpErrorBody } from './monite-http-exception.js';
export { MoniteExceptionFilter } from './monite-exception.filter.js';
export { MoniteSecretScrubber } from './monite-secret-scrubber.js';
