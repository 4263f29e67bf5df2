// Public exports of client/ (explicit names only). Re-exported by ../index.ts.
export { MoniteClient } from './monite.client.js';
export { MoniteHttpException, toMoniteHttpException } from './monite-http-exception.js';
export type { MoniteHttpErrorBody } from './monite-http-exception.js';
export type { MoniteHttpMethod, MoniteQueryValue, MoniteRequestOptions } from './monite-request-options.js';
