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

/** A role as Monite returns it from `GET /entity_users/my_role` or `/roles/{id}`. Untrusted input. */
export interface MoniteRole {
  id?: string;
  name?: string;
  status?: 'active' | 'deleted';
  permissions: { objects: MoniteObjectPermissions[] };
}

/**
 * Supplies roles in the partner-managed and hybrid security models (the partner's own ACL).
 * `getRole` is only ever called for entity users. The partner caller (`moniteAsPartner`) gets a
 * role only from `getPartnerRole`, so a provider grants it something on purpose or not at all.
 */
export interface MoniteRoleProvider {
  getRole(user: MoniteEntityUserRef): MoniteRole | Promise<MoniteRole>;
  getPartnerRole?(partner: MonitePartnerCaller): MoniteRole | Promise<MoniteRole>;
}
