import { z } from 'zod';
import { currency, items, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const fields = {
  counterpart_address_id: optional(uuid),
  entity_vat_id_id: optional(uuid),
  project_id: optional(uuid),
};

/**
 * `/payable_purchase_orders` (object type `payables_purchase_order`); `created_by_user_id` is the
 * creator. Monite's schema allows unknown body fields here (no `additionalProperties: false`).
 */
export const PURCHASE_ORDERS: OwnedResourceSpec = {
  objectType: 'payables_purchase_order',
  path: '/payable_purchase_orders',
  idName: 'purchase_order_id',
  label: 'Purchase order',
  creatorField: 'created_by_user_id',
  seedKey: 'purchaseOrders',
  list: {
    paginated: true,
    filters: [
      { query: 'created_by', field: 'created_by_user_id' },
      { query: 'status', field: 'status' },
      { query: 'counterpart_id', field: 'counterpart_id' },
    ],
  },
  create: {
    body: z.looseObject({
      counterpart_id: uuid,
      currency,
      items,
      message: z.string(),
      valid_for_days: z.number().int().min(1),
      ...fields,
    }),
    status: 201,
    defaults: { status: 'draft' },
  },
  update: {
    body: z.looseObject({
      counterpart_id: optional(uuid),
      items: optional(items),
      message: optional(z.string()),
      valid_for_days: optional(z.number().int().min(1)),
      ...fields,
    }),
  },
  remove: true,
};
