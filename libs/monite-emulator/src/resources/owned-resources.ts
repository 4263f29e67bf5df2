import { APPROVAL_POLICIES } from './approval-policies.resource.js';
import { BANK_ACCOUNTS } from './bank-accounts.resource.js';
import { COMMENTS } from './comments.resource.js';
import { COUNTERPARTS } from './counterparts.resource.js';
import { DELIVERY_NOTES } from './delivery-notes.resource.js';
import { EXPORTS } from './exports.resource.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';
import { PAYMENT_RECORDS } from './payment-records.resource.js';
import { PERSONS } from './persons.resource.js';
import { PRODUCTS } from './products.resource.js';
import { PROJECTS } from './projects.resource.js';
import { PURCHASE_ORDERS } from './purchase-orders.resource.js';
import { RECEIPTS } from './receipts.resource.js';
import { RECEIVABLES } from './receivables.resource.js';
import { TAGS } from './tags.resource.js';

/**
 * Every object type with a creator that the emulator serves through the generic owned-resource
 * routes (payables have routes of their own: status transitions).
 */
export const OWNED_RESOURCES: readonly OwnedResourceSpec[] = [
  RECEIVABLES,
  COUNTERPARTS,
  COMMENTS,
  TAGS,
  PERSONS,
  DELIVERY_NOTES,
  RECEIPTS,
  PROJECTS,
  EXPORTS,
  APPROVAL_POLICIES,
  PRODUCTS,
  PAYMENT_RECORDS,
  PURCHASE_ORDERS,
  BANK_ACCOUNTS,
];

/** The spec of an object type, or undefined. */
export function ownedResource(objectType: string): OwnedResourceSpec | undefined {
  return OWNED_RESOURCES.find((spec) => spec.objectType === objectType);
}
