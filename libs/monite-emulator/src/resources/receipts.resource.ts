import { z } from 'zod';
import { currency, dateTime, minorUnits, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** ReceiptCreateSchema / ReceiptUpdateSchema: every field optional. */
const body = z.strictObject({
  base64_encoded_file: optional(z.string()),
  currency: optional(currency),
  document_id: optional(z.string().max(255)),
  issued_at: optional(dateTime),
  merchant_location: optional(z.string().max(255)),
  merchant_name: optional(z.string().max(128)),
  total_amount: optional(minorUnits),
  transaction_id: optional(uuid),
});

/** `/receipts`; `created_by_entity_user_id` is the creator. */
export const RECEIPTS: OwnedResourceSpec = {
  objectType: 'receipt',
  path: '/receipts',
  idName: 'receipt_id',
  label: 'Receipt',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'receipts',
  list: { paginated: true, filters: [{ query: 'currency', field: 'currency' }] },
  create: { body, status: 201, defaults: { source_of_data: 'user_specified' } },
  update: { body },
  remove: true,
};
