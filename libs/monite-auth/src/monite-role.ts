import type { MoniteEntityUserRef, MonitePartnerCaller } from './monite-identity.js';

/** Monite's role and permission wire types (MONITE-API.md "Roles and the current user"). */
export type MonitePermissionValue = 'allowed' | 'allowed_for_own' | 'not_allowed';

export interface MoniteActionPermission {
  action_name: string;
  permission: MonitePermissionValue;
}

export interface MoniteObjectPermissions {
  object_type: string;
  actions: MoniteActionPermission[];
}

/**
 * A role as Monite returns it from `GET /entity_users/my_role` or `/roles/{id}`. Untrusted input.
 * `status`: only `active` roles grant anything; any other value (Monite's `deleted`, or one a newer
 * Monite adds) denies every pair. A role without `status` is active, as Monite's schema defaults it
 * ("record status, 'active' by default"); a role provider may leave it out.
 */
export interface MoniteRole {
  id?: string;
  name?: string;
  status?: 'active' | 'deleted' | (string & {});
  permissions: { objects: MoniteObjectPermissions[] };
}

/**
 * Supplies roles in the partner-managed and hybrid security models (the partner's own ACL).
 * `getRole` is only ever called for entity users, with normalised (lower-case) ids. The partner
 * caller (`moniteAsPartner`) gets a role only from `getPartnerRole`, so a provider grants it
 * something on purpose or not at all; a function-form `roleProvider` grants the partner nothing.
 */
export interface MoniteRoleProvider {
  getRole(user: MoniteEntityUserRef): MoniteRole | Promise<MoniteRole>;
  getPartnerRole?(partner: MonitePartnerCaller): MoniteRole | Promise<MoniteRole>;
}
