import type { Principal } from './authenticate.js';
import type { EmulatorCore } from './core.js';
import { actionNotAllowed } from './http/http-error.js';
import type { StoredRole } from './store/state.js';

/**
 * The emulator's server-side permission check, the way Monite enforces roles on entity-user
 * tokens. Written on its own, from Monite's documentation, and NOT shared with the library's
 * guard, so tests can hold one against the other.
 */

export type Permission = 'allowed' | 'allowed_for_own' | 'not_allowed';

/** What a permitted caller may touch: every object of the entity, or only the ones it created. */
export type Scope = 'all' | 'own';

/**
 * A role's permission for one action on one object type. Anything the role does not list is
 * `not_allowed`; so is everything for a user with no (or a vanished) role.
 */
export function rolePermission(role: StoredRole | undefined, objectType: string, action: string): Permission {
  if (!role) return 'not_allowed';
  const object = role.permissions.objects.find((o) => o.object_type === objectType);
  const entry = object?.actions.find((a) => a.action_name === action);
  return entry?.permission ?? 'not_allowed';
}

/**
 * May the caller perform `action` on `objectType` at all? The partner token may do everything
 * (root access to entity data). An entity user needs `allowed` (scope `all`) or
 * `allowed_for_own` (scope `own`); otherwise 403 `Action {action} for {object_type} not allowed`.
 */
export function requireAction(
  core: EmulatorCore,
  principal: Principal,
  objectType: string,
  action: string,
): Scope {
  if (principal.kind === 'partner') return 'all';
  const permission = rolePermission(core.state.roleOf(principal.user), objectType, action);
  if (permission === 'allowed') return 'all';
  if (permission === 'allowed_for_own') return 'own';
  throw actionNotAllowed(action, objectType);
}

/** Whether the caller created (owns) an object; nobody owns an object whose owner is null, the partner owns nothing. */
export function isOwnedBy(principal: Principal, ownerId: string | null): boolean {
  return principal.kind === 'entity_user' && ownerId !== null && ownerId === principal.user.id;
}

/** With scope `own`, the object must be the caller's: otherwise 403 with Monite's message. */
export function requireOwnership(
  scope: Scope,
  principal: Principal,
  ownerId: string | null,
  objectType: string,
  action: string,
): void {
  if (scope === 'all') return;
  if (!isOwnedBy(principal, ownerId)) throw actionNotAllowed(action, objectType);
}
