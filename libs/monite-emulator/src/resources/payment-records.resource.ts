import { z } from 'zod';
import { currency, date, dateTime, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** PaymentRecordObjectRequest: the invoice or payable that was paid. */
const paidObject = z.strictObject({ id: uuid, type: z.enum(['receivable', 'payable']) });
const fields = {
  entity_user_id: optional(uuid),
  paid_at: optional(dateTime),
  payment_intent_id: optional(uuid),
  payment_intent_status: optional(z.string()),
  payment_method: optional(z.string()),
  planned_payment_date: optional(date),
};

/**
 * `/payment_records`; `entity_user_id` is the creator, and the partner may name it in the body.
 * Monite has no delete. `PATCH` needs `payment_record.update` (see the permission matrix).
 */
export const PAYMENT_RECORDS: OwnedResourceSpec = {
  objectType: 'payment_record',
  path: '/payment_records',
  idName: 'payment_record_id',
  label: 'Payment record',
  creatorField: 'entity_user_id',
  seedKey: 'paymentRecords',
  creatorInBody: true,
  list: {
    paginated: true,
    filters: [
      { query: 'object_id', field: 'object_id' },
      { query: 'status', field: 'status' },
    ],
  },
  create: {
    body: z.strictObject({
      amount: z.number().int(),
      currency,
      object: paidObject,
      status: optional(z.enum(['created', 'processing', 'succeeded'])),
      ...fields,
    }),
    status: 201,
    defaults: { status: 'created', is_external: true, history: [] },
  },
  update: {
    body: z.strictObject({
      amount: optional(z.number().int()),
      currency: optional(currency),
      object: optional(paidObject),
      ...fields,
    }),
  },
  remove: false,
};
