import type { StoredEntity, StoredEntityUser, StoredPayable, StoredRole } from './state.js';

/** How the API shows objects: Monite's field names, snake_case, no internal fields. */

export function roleView(role: StoredRole): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    permissions: structuredClone(role.permissions),
    status: role.status,
    created_at: role.created_at,
    updated_at: role.updated_at,
  };
}

export function entityUserView(user: StoredEntityUser): Record<string, unknown> {
  return {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    login: user.login,
    email: user.email,
    phone: user.phone,
    title: user.title,
    role_id: user.roleId,
    status: user.status,
    userpic_file_id: null,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

export function payableView(payable: StoredPayable): Record<string, unknown> {
  return {
    ...structuredClone(payable.extra),
    id: payable.id,
    entity_id: payable.entityId,
    status: payable.status,
    amount: payable.amount,
    currency: payable.currency,
    was_created_by_user_id: payable.was_created_by_user_id,
    created_at: payable.created_at,
    updated_at: payable.updated_at,
  };
}

export function entityView(entity: StoredEntity): Record<string, unknown> {
  return {
    id: entity.id,
    name: entity.name,
    status: 'active',
    created_at: entity.created_at,
    updated_at: entity.updated_at,
  };
}
