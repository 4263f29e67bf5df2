// The public API of nestjs-monite-auth, nothing else.
export { MoniteAuthModule } from './monite-auth.module.js';
export { MONITE_AUTH_MODULE_OPTIONS } from './monite-auth.module-definition.js';
export { MONITE_ENVIRONMENT_URLS, DEFAULT_MONITE_API_VERSION } from './monite-auth.options.js';
export type {
  MoniteAuthModuleOptions,
  MoniteEnvironment,
  MoniteSecurityModel,
  MoniteRetryOptions,
  MoniteTokenEndpointOptions,
} from './monite-auth.options.js';
export type * from './monite-auth.hooks.js';
export type * from './monite-role.js';
export { moniteAsPartner, isMonitePartner, normalizeMoniteId } from './monite-identity.js';
export type {
  MoniteCaller,
  MoniteEntityUserRef,
  MonitePartnerCaller,
  MoniteTokenGrant,
} from './monite-identity.js';
export * from './errors/index.js';
export * from './tokens/index.js';
export * from './client/index.js';
export * from './rbac/index.js';
export * from './redis/index.js';
