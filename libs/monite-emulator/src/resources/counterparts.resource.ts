import { z } from 'zod';
import { address, allOptional, name, optional, unchecked, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const contact = {
  email: optional(z.email()),
  phone: optional(z.string()),
  tag_ids: optional(z.array(uuid)),
};
/** CounterpartOrganizationCreatePayload. */
const organization = z.strictObject({
  legal_name: name(255),
  is_customer: z.boolean(),
  is_vendor: z.boolean(),
  address,
  ...contact,
});
/** CounterpartIndividualCreatePayload. */
const individual = z.strictObject({
  first_name: name(255),
  last_name: name(255),
  is_customer: z.boolean(),
  is_vendor: z.boolean(),
  address,
  title: optional(z.string()),
  ...contact,
});
const common = {
  external_reference: optional(name(255)),
  tax_id: optional(z.string().max(30)),
  reminders_enabled: optional(z.boolean()),
  ...unchecked('language'),
};
const updateCommon = {
  ...common,
  default_billing_address_id: optional(uuid),
  default_shipping_address_id: optional(uuid),
};

/** `/counterparts`: an organization or an individual; `created_by_entity_user_id` is the creator. */
export const COUNTERPARTS: OwnedResourceSpec = {
  objectType: 'counterpart',
  path: '/counterparts',
  idName: 'counterpart_id',
  label: 'Counterpart',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'counterparts',
  list: { paginated: true, filters: [{ query: 'type', field: 'type' }] },
  create: {
    body: z.union([
      z.strictObject({ type: z.literal('organization'), organization, ...common }),
      z.strictObject({ type: z.literal('individual'), individual, ...common }),
    ]),
    status: 201,
    defaults: { created_automatically: false },
  },
  update: {
    body: z.union([
      z.strictObject({ organization: allOptional(organization.shape), ...updateCommon }),
      z.strictObject({ individual: allOptional(individual.shape), ...updateCommon }),
    ]),
  },
  remove: true,
};
