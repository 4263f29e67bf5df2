// Public exports of client/ (explicit names only). Re-exported by ../index.ts.
export { MoniteClient } from './monite.client.js';
export type { MoniteHttpMethod, MoniteQueryValue, MoniteRequestOptions } from './monite-request-options.js';
