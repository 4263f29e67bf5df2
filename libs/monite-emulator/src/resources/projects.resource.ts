import { z } from 'zod';
import { date, jsonObject, name, optional, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const fields = {
  code: optional(
    z
      .string()
      .min(1)
      .max(20)
      .regex(/^[a-zA-Z0-9]+$/),
  ),
  color: optional(z.string().max(128)),
  description: optional(z.string().max(1024)),
  start_date: optional(date),
  end_date: optional(date),
  parent_id: optional(uuid),
  partner_metadata: optional(jsonObject),
  tag_ids: optional(z.array(uuid)),
};

/** `/projects`; `created_by_entity_user_id` is the creator. */
export const PROJECTS: OwnedResourceSpec = {
  objectType: 'project',
  path: '/projects',
  idName: 'project_id',
  label: 'Project',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'projects',
  list: {
    paginated: true,
    filters: [
      { query: 'created_by_entity_user_id', field: 'created_by_entity_user_id' },
      { query: 'name', field: 'name' },
      { query: 'code', field: 'code' },
    ],
  },
  create: { body: z.strictObject({ name: name(255), ...fields }), status: 201 },
  update: { body: z.strictObject({ name: optional(name(255)), ...fields }) },
  remove: true,
};
