import { z } from 'zod';
import { date, items, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const optionalFields = {
  delivery_date: optional(date),
  delivery_number: optional(z.string().min(1)),
  display_signature_placeholder: optional(z.boolean()),
  memo: optional(z.string().min(1)),
};

/** `/delivery_notes`; `created_by_entity_user_id` is the creator. */
export const DELIVERY_NOTES: OwnedResourceSpec = {
  objectType: 'delivery_note',
  path: '/delivery_notes',
  idName: 'delivery_note_id',
  label: 'Delivery note',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'deliveryNotes',
  list: {
    paginated: true,
    filters: [
      { query: 'created_by_entity_user_id', field: 'created_by_entity_user_id' },
      { query: 'status', field: 'status' },
      { query: 'counterpart_id', field: 'counterpart_id' },
    ],
  },
  create: {
    body: z.union([
      z.strictObject({
        counterpart_id: uuid,
        counterpart_address_id: uuid,
        line_items: items,
        document_id: optional(z.string().min(1).max(100)),
        ...optionalFields,
      }),
      // DeliveryNoteCreateBasedOnRequest: made from an invoice.
      z.strictObject({ based_on: uuid }),
    ]),
    status: 201,
    defaults: { status: 'created' },
  },
  update: {
    body: z.strictObject({
      counterpart_id: optional(uuid),
      counterpart_address_id: optional(uuid),
      line_items: optional(items),
      ...optionalFields,
    }),
  },
  remove: true,
};
