// Public exports of rbac/ (explicit names only). Re-exported by ../index.ts.
export {
  MONITE_PERMISSION_MATRIX,
  MONITE_PERMISSION_PAIR_COUNT,
  permissionPairId,
  permissionPairName,
  isMoniteObjectType,
  isMonitePermission,
} from './permission-matrix.js';
export type { MoniteObjectType, MoniteAction, MonitePermissionName } from './permission-matrix.js';
export { CompiledRole, EMPTY_COMPILED_ROLE, compileRole } from './compiled-role.js';
export { parseMoniteRole } from './role-parser.js';
export { MoniteRoleCache, UNKNOWN_ENTITY_USER_TTL_MS } from './role-cache.js';
export type { MoniteRoleCacheSettings, MoniteRoleSource } from './role-cache.js';
export { MoniteRoleLoader } from './role-loader.js';
export {
  MonitePermission,
  MonitePublic,
  MonitePermissionMetadata,
  MonitePublicMetadata,
} from './monite-permission.decorator.js';
export type { MonitePermissionOptions, MonitePermissionRequirement } from './monite-permission.decorator.js';
export { MoniteAccess, MONITE_ACCESS, getMoniteAccess } from './monite-access.decorator.js';
export type { MoniteAccessDecision } from './monite-access.decorator.js';
export type {
  MoniteOwner,
  MoniteOwnerFunction,
  MoniteOwnerResolver,
  MoniteOwnerOption,
} from './owner-resolver.js';
export { MoniteObjectOwner, fromMoniteObject } from './monite-object-owner.js';
export type { MoniteObjectOwnerOptions } from './monite-object-owner.js';
export { MONITE_OBJECT_CREATORS } from './object-creator-fields.js';
export type { MoniteOwnedObjectType } from './object-creator-fields.js';
export { MonitePermissionGuard } from './monite-permission.guard.js';
export { MoniteGraphqlError } from './monite-transport-errors.js';
export type { MoniteGuardRequest, MoniteIdentifiedCaller } from './monite-permission.guard.js';
export { MoniteRoutePolicies, toRouteRequirement } from './monite-route-policy.js';
export type { MoniteRouteRequirement, MoniteRoutePolicy } from './monite-route-policy.js';
export { decideMoniteAccess, entityHeaderMatches, MONITE_VERDICTS } from './decide-monite-access.js';
export type {
  MoniteAccessVerdict,
  MoniteDecisionReason,
  MoniteEntityHeader,
  MoniteResolvedOwner,
} from './decide-monite-access.js';
export { readMoniteCaller } from '../monite-identity.js';
export type { MoniteCallerReading } from '../monite-identity.js';
export { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
export { MonitePermissionMetadataValidator } from './permission-metadata.validator.js';
