// Public exports of client/ (explicit names only). Re-exported by ../index.ts.
export { MoniteClient } from './monite.client.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './monite-request-options.js';
export type { MoniteHttpMethod, MoniteQueryValue, MoniteRequestOptions } from './monite-request-options.js';
export type { MonitePathParams } from './monite-path.js';
