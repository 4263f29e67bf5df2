import { z } from 'zod';
import { optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/**
 * `/comments` on a payable or receivable; `created_by_entity_user_id` is the creator. Listing
 * needs `object_type` and `object_id`. The referenced object is not looked up.
 */
export const COMMENTS: OwnedResourceSpec = {
  objectType: 'comment',
  path: '/comments',
  idName: 'comment_id',
  label: 'Comment',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'comments',
  list: {
    paginated: true,
    filters: [
      { query: 'object_type', field: 'object_type', required: true },
      { query: 'object_id', field: 'object_id', required: true },
    ],
  },
  create: {
    body: z.strictObject({
      object_id: uuid,
      object_type: z.string().min(1),
      text: z.string().min(1),
      reply_to_entity_user_id: optional(uuid),
    }),
    status: 201,
    defaults: { status: 'active' },
  },
  update: {
    body: z.strictObject({ text: optional(z.string().min(1)), reply_to_entity_user_id: optional(uuid) }),
  },
  remove: true,
};
