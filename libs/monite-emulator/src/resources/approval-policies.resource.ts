import { z } from 'zod';
import { dateTime, optional } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

const fields = {
  description: optional(z.string().max(255)),
  starts_at: optional(dateTime),
  ends_at: optional(dateTime),
  priority: optional(z.number().int().min(-32768).max(32767)),
  /** MoniteScript: kept as given, never run. */
  trigger: optional(z.unknown()),
};

/** `/approval_policies`; `created_by` is the creator. The policies' scripts are stored, not run. */
export const APPROVAL_POLICIES: OwnedResourceSpec = {
  objectType: 'approval_policy',
  path: '/approval_policies',
  idName: 'approval_policy_id',
  label: 'Approval policy',
  creatorField: 'created_by',
  seedKey: 'approvalPolicies',
  list: {
    paginated: true,
    filters: [
      { query: 'created_by', field: 'created_by' },
      { query: 'status', field: 'status' },
      { query: 'name', field: 'name' },
    ],
  },
  create: {
    body: z.strictObject({ name: z.string().min(1).max(255), script: z.array(z.unknown()), ...fields }),
    status: 201,
    defaults: { status: 'active' },
  },
  update: {
    body: z.strictObject({
      name: optional(z.string().min(1)),
      script: optional(z.array(z.unknown())),
      status: optional(z.enum(['active', 'pending'])),
      ...fields,
    }),
  },
  remove: true,
};
