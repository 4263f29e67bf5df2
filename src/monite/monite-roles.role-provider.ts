import { Injectable } from '@nestjs/common';
import {
  MoniteClient,
  type MoniteEntityUserRef,
  type MoniteRole,
  type MoniteRoleProvider,
} from 'nestjs-monite-auth';

/** No role assigned: nothing is allowed. */
const NO_ROLE: MoniteRole = { permissions: { objects: [] } };

/**
 * The demo's "partner ACL" for the partner-managed and hybrid security models: it reads the
 * user's role from Monite with the partner token (`/entity_users/{id}` then `/roles/{role_id}`).
 * A real partner would answer from its own permission store here.
 */
@Injectable()
export class MoniteRolesRoleProvider implements MoniteRoleProvider {
  constructor(private readonly monite: MoniteClient) {}

  async getRole(user: MoniteEntityUserRef): Promise<MoniteRole> {
    const entityUser = await this.monite.get<{ role_id?: string | null }>('/entity_users/{id}', {
      params: { id: user.entityUserId },
      entityId: user.entityId,
      asPartner: true,
    });
    if (typeof entityUser?.role_id !== 'string') return NO_ROLE;
    return this.monite.get<MoniteRole>('/roles/{id}', {
      params: { id: entityUser.role_id },
      entityId: user.entityId,
      asPartner: true,
    });
  }
}
