/**
 * Monite's permission matrix as data: object type -> the actions a role can grant on it.
 *
 * The 21 object types and their actions are the ones Monite's authentication guide lists
 * (the project's seed); newer API versions add the payable actions `cancel` and `reopen` and the
 * object types from `delivery_note` on (Monite's OpenAPI document, 2024-05-25 as regenerated
 * 2025-08-29). The decorator's types are derived from this table, so a pair that is not here
 * does not compile. `comment.delete` and `payment_record.update` are not in the guide, but the
 * OpenAPI document has `DELETE /comments/{id}` and `PATCH /payment_records/{id}` and its role schema
 * accepts both pairs: without them a guard could not protect those routes.
 */
export const MONITE_PERMISSION_MATRIX = {
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
  payable: [
    'create',
    'create_from_mail',
    'read',
    'update',
    'delete',
    'submit',
    'approve',
    'pay',
    'cancel',
    'reopen',
  ],
  payables_purchase_order: ['create', 'read', 'update', 'delete'],
  payment_record: ['create', 'read', 'update'],
  payment_reminder: ['create', 'read', 'update', 'delete'],
  person: ['create', 'read', 'update', 'delete'],
  product: ['create', 'read', 'update', 'delete'],
  receivable: ['create', 'read', 'update', 'delete'],
  role: ['create', 'read', 'update', 'delete'],
  tag: ['create', 'read', 'update', 'delete'],
  // Added by newer API versions.
  delivery_note: ['create', 'read', 'update', 'delete'],
  mailbox: ['create', 'read', 'delete'],
  ocr_task: ['create', 'read', 'update', 'delete'],
  project: ['create', 'read', 'update', 'delete'],
  receipt: ['create', 'read', 'update', 'delete'],
  reconciliation: ['create', 'read', 'update', 'delete'],
  todo_task: ['create', 'read', 'update', 'delete'],
  todo_task_mute: ['create', 'read', 'update', 'delete'],
  transaction: ['create', 'read', 'update', 'delete'],
  workflow: ['create', 'read', 'update', 'delete'],
} as const satisfies Record<string, readonly string[]>;

/** An object type of the matrix, e.g. `payable`. */
export type MoniteObjectType = keyof typeof MONITE_PERMISSION_MATRIX;

/** The actions the matrix allows on object type `T`, e.g. `MoniteAction<'entity'>` is `'read' | 'update'`. */
export type MoniteAction<T extends MoniteObjectType = MoniteObjectType> =
  (typeof MONITE_PERMISSION_MATRIX)[T][number];

/** `object_type.action`, the way denials and the audit name a permission. */
export type MonitePermissionName = {
  [T in MoniteObjectType]: `${T}.${MoniteAction<T>}`;
}[MoniteObjectType];

/**
 * Every (object type, action) pair of the matrix gets a small integer, fixed when this module loads.
 * The decorator stores the number, so a permission check at request time is an array index.
 */
const pairIds = new Map<string, Map<string, number>>();
const pairNames: MonitePermissionName[] = [];
for (const [objectType, actions] of Object.entries(MONITE_PERMISSION_MATRIX)) {
  const byAction = new Map<string, number>();
  for (const action of actions) {
    byAction.set(action, pairNames.length);
    pairNames.push(`${objectType}.${action}` as MonitePermissionName);
  }
  pairIds.set(objectType, byAction);
}

/** How many (object type, action) pairs the matrix has. */
export const MONITE_PERMISSION_PAIR_COUNT = pairNames.length;

/** The id of a matrix pair, or -1 when the matrix does not have it (which every check denies). */
export function permissionPairId(objectType: string, action: string): number {
  return pairIds.get(objectType)?.get(action) ?? -1;
}

/** `object_type.action` of a pair id. */
export function permissionPairName(pairId: number): MonitePermissionName | undefined {
  return pairNames[pairId];
}

/** Whether the matrix knows the object type (whatever the action). */
export function isMoniteObjectType(objectType: string): objectType is MoniteObjectType {
  return pairIds.has(objectType);
}

/** Whether the matrix allows `action` on `objectType`. */
export function isMonitePermission<T extends MoniteObjectType>(
  objectType: T,
  action: string,
): action is MoniteAction<T>;
export function isMonitePermission(objectType: string, action: string): boolean;
export function isMonitePermission(objectType: string, action: string): boolean {
  return permissionPairId(objectType, action) !== -1;
}
