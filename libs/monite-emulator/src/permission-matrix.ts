/**
 * Monite's permission matrix as documented in its authentication guide: every object type and
 * the actions a role can grant on it. The demo seed's admin role allows all of these.
 */
export const MONITE_PERMISSION_MATRIX: Readonly<Record<string, readonly string[]>> = {
  approval_policy: ['create', 'read', 'update', 'delete'],
  approval_request: ['create', 'read', 'update', 'delete'],
  comment: ['create', 'read', 'update'],
  counterpart: ['create', 'read', 'update', 'delete'],
  counterpart_vat_id: ['create', 'read', 'update', 'delete'],
  entity: ['read', 'update'],
  entity_bank_account: ['create', 'read', 'update', 'delete'],
  entity_vat_ids: ['create', 'read', 'update', 'delete'],
  entity_user: ['create', 'read', 'update', 'delete'],
  export: ['create', 'read'],
  onboarding: ['create', 'read', 'update'],
  overdue_reminder: ['create', 'read', 'update', 'delete'],
  payable: ['create', 'create_from_mail', 'read', 'update', 'delete', 'submit', 'approve', 'pay'],
  payables_purchase_order: ['create', 'read', 'update', 'delete'],
  payment_record: ['create', 'read'],
  payment_reminder: ['create', 'read', 'update', 'delete'],
  person: ['create', 'read', 'update', 'delete'],
  product: ['create', 'read', 'update', 'delete'],
  receivable: ['create', 'read', 'update', 'delete'],
  role: ['create', 'read', 'update', 'delete'],
  tag: ['create', 'read', 'update', 'delete'],
};
