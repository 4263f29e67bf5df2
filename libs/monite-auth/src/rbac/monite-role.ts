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

/** Identifies the entity user a request acts for. */
export interface MoniteEntityUserRef {
  entityUserId: string;
  entityId: string;
}

/** Supplies roles in the partner-managed and hybrid security models (the partner's own ACL). */
export interface MoniteRoleProvider {
  getRole(user: MoniteEntityUserRef): MoniteRole | Promise<MoniteRole>;
}
