import { z } from 'zod';
import { address, country, date, name, optional } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** PersonRelationshipRequest: every field optional. */
const relationship = z.strictObject({
  director: optional(z.boolean()),
  executive: optional(z.boolean()),
  owner: optional(z.boolean()),
  representative: optional(z.boolean()),
  percent_ownership: optional(z.number().min(0).max(100)),
  title: optional(z.string()),
});
const details = {
  address: optional(address),
  citizenship: optional(country),
  date_of_birth: optional(date),
  id_number: optional(name(100)),
  phone: optional(z.string()),
  ssn_last_4: optional(z.string().length(4)),
};

/** `/persons`: the entity's owners, directors and representatives; not paginated. */
export const PERSONS: OwnedResourceSpec = {
  objectType: 'person',
  path: '/persons',
  idName: 'person_id',
  label: 'Person',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'persons',
  list: { paginated: false },
  create: {
    body: z.strictObject({
      first_name: name(100),
      last_name: name(100),
      email: z.email(),
      relationship,
      ...details,
    }),
    status: 200,
  },
  update: {
    body: z.strictObject({
      first_name: optional(name(100)),
      last_name: optional(name(100)),
      email: optional(z.email()),
      relationship: optional(relationship),
      ...details,
    }),
  },
  remove: true,
};
