import type { EmulatorCore } from '../core.js';
import { ownedResourceRoutes } from '../resources/owned-resource.routes.js';
import { OWNED_RESOURCES } from '../resources/owned-resources.js';
import type { RouteDefinition } from '../router.js';
import { authRoutes } from './auth.routes.js';
import { entityUserRoutes } from './entity-users.routes.js';
import { oauth2Routes } from './oauth2.routes.js';
import { payableRoutes } from './payables.routes.js';
import { roleRoutes } from './roles.routes.js';

/** Every route the emulator serves: its route table. */
export function buildRoutes(core: EmulatorCore): RouteDefinition[] {
  return [
    ...authRoutes(core),
    ...oauth2Routes(core),
    ...entityUserRoutes(core),
    ...roleRoutes(core),
    ...payableRoutes(core),
    ...OWNED_RESOURCES.flatMap((spec) => ownedResourceRoutes(core, spec)),
  ];
}
