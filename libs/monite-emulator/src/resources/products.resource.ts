import { z } from 'zod';
import { currency, name, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** Price2: an amount in minor units and its currency. */
const price = z.strictObject({ currency, value: z.number().int().min(0) });
const fields = {
  external_reference: optional(name(255)),
  ledger_account_id: optional(uuid),
  measure_unit_id: optional(uuid),
  price: optional(price),
  smallest_amount: optional(z.number().min(0).max(2147483647)),
  type: optional(z.enum(['product', 'service'])),
};

/** `/products`: products and services; `entity_user_id` is the creator. */
export const PRODUCTS: OwnedResourceSpec = {
  objectType: 'product',
  path: '/products',
  idName: 'product_id',
  label: 'Product',
  creatorField: 'entity_user_id',
  seedKey: 'products',
  list: {
    paginated: true,
    filters: [
      { query: 'name', field: 'name' },
      { query: 'type', field: 'type' },
    ],
  },
  create: {
    body: z.strictObject({ name: name(100), description: optional(z.string().max(2000)), ...fields }),
    status: 201,
    defaults: { type: 'product' },
  },
  update: {
    body: z.strictObject({
      name: optional(name(100)),
      description: optional(z.string().max(255)),
      ...fields,
    }),
  },
  remove: true,
};
