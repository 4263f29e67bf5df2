import type { Provider } from '@nestjs/common';
import { MonitePermissionGuard } from './monite-permission.guard.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import { MonitePermissionMetadataValidator } from './permission-metadata.validator.js';
import { roleCacheProvider } from './role-cache.js';
import { MoniteRoleLoader } from './role-loader.js';

/**
 * Providers of this folder, registered and exported by MoniteAuthModule. Exported so that
 * `@UseGuards(MonitePermissionGuard)` and `APP_GUARD` can build the guard in any importing module.
 */
export const rbacProviders: Provider[] = [
  roleCacheProvider,
  MoniteRoleLoader,
  MoniteOwnerResolverRegistry,
  MonitePermissionGuard,
  MonitePermissionMetadataValidator,
];
