import type { MoniteObjectType } from './permission-matrix.js';

/**
 * Where Monite keeps each owned object and which field names the entity user who created it
 * (MONITE-API.md "Who created an object"; paths and fields from Monite's OpenAPI document).
 * This is what `allowed_for_own` compares with the caller.
 */
export const MONITE_OBJECT_CREATORS = {
  payable: { path: '/payables', creatorField: 'was_created_by_user_id' },
  receivable: { path: '/receivables', creatorField: 'entity_user_id' },
  counterpart: { path: '/counterparts', creatorField: 'created_by_entity_user_id' },
  comment: { path: '/comments', creatorField: 'created_by_entity_user_id' },
  tag: { path: '/tags', creatorField: 'created_by_entity_user_id' },
  person: { path: '/persons', creatorField: 'created_by_entity_user_id' },
  delivery_note: { path: '/delivery_notes', creatorField: 'created_by_entity_user_id' },
  receipt: { path: '/receipts', creatorField: 'created_by_entity_user_id' },
  project: { path: '/projects', creatorField: 'created_by_entity_user_id' },
  export: { path: '/data_exports', creatorField: 'created_by_entity_user_id' },
  approval_policy: { path: '/approval_policies', creatorField: 'created_by' },
  product: { path: '/products', creatorField: 'entity_user_id' },
  payment_record: { path: '/payment_records', creatorField: 'entity_user_id' },
  payables_purchase_order: { path: '/payable_purchase_orders', creatorField: 'created_by_user_id' },
  entity_bank_account: { path: '/bank_accounts', creatorField: 'was_created_by_user_id' },
} as const satisfies { [T in MoniteObjectType]?: { path: string; creatorField: string } };

/** Object types whose creator Monite records, so the built-in owner resolver can read it. */
export type MoniteOwnedObjectType = keyof typeof MONITE_OBJECT_CREATORS;
