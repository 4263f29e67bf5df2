/**
 * The emulator's own permission matrix: every object type a role can name and the actions a role
 * can grant on it, as the emulator enforces them. Written apart from the library's matrix (and
 * named apart, so an editor never auto-imports one for the other): the two are held against each
 * other by the agreement tests.
 *
 * Sources: the 21 object types of Monite's authentication guide; the object types the emulator
 * serves from newer API versions (`delivery_note`, `project`, `receipt`); and the two actions
 * Monite's role schema accepts (`ActionEnum` is create/read/update/delete for every non-payable
 * type) that the guide leaves out but Monite's routes need: `comment.delete` for
 * `DELETE /comments/{id}` and `payment_record.update` for `PATCH /payment_records/{id}`.
 * The demo seed's admin role allows all of these.
 */
export const EMULATOR_PERMISSION_MATRIX: Readonly<Record<string, readonly string[]>> = {
  approval_policy: ['create', 'read', 'update', 'delete'],
  approval_request: ['create', 'read', 'update', 'delete'],
  comment: ['create', 'read', 'update', 'delete'],
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
  payment_record: ['create', 'read', 'update'],
  payment_reminder: ['create', 'read', 'update', 'delete'],
  person: ['create', 'read', 'update', 'delete'],
  product: ['create', 'read', 'update', 'delete'],
  receivable: ['create', 'read', 'update', 'delete'],
  role: ['create', 'read', 'update', 'delete'],
  tag: ['create', 'read', 'update', 'delete'],
  delivery_note: ['create', 'read', 'update', 'delete'],
  project: ['create', 'read', 'update', 'delete'],
  receipt: ['create', 'read', 'update', 'delete'],
};
