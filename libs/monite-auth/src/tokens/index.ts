// Public exports of tokens/ (explicit names only). Re-exported by ../index.ts.
export type { MoniteAccessToken } from './monite-access-token.js';
export { MoniteTokenStore } from './monite-token-store.js';
export type { MoniteMintLimits, StoredToken } from './monite-token-store.js';
export { MoniteTokenService } from './monite-token.service.js';
export { InMemoryTokenStore } from './in-memory-token-store.js';
export type { InMemoryTokenStoreOptions } from './in-memory-token-store.js';
export { MoniteInvalidations } from './monite-invalidations.js';
export type { MoniteInvalidation, MoniteInvalidationListener } from './monite-invalidations.js';
export type { MoniteEntityUserTokenOptions, MoniteTokenOwnerHint } from './monite-token.service.js';
