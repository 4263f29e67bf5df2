import { z } from 'zod';
import { name, optional } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const category = z.enum([
  'document_type',
  'department',
  'project',
  'cost_center',
  'vendor_type',
  'payment_method',
  'approval_status',
]);

/** `/tags`; `created_by_entity_user_id` is the creator. */
export const TAGS: OwnedResourceSpec = {
  objectType: 'tag',
  path: '/tags',
  idName: 'tag_id',
  label: 'Tag',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'tags',
  list: {
    paginated: true,
    filters: [{ query: 'created_by_entity_user_id', field: 'created_by_entity_user_id' }],
  },
  create: {
    body: z.strictObject({ name: name(255), description: optional(name(255)), category: optional(category) }),
    status: 201,
  },
  update: {
    body: z.strictObject({
      name: optional(name(255)),
      description: optional(name(255)),
      category: optional(category),
    }),
  },
  remove: true,
};
