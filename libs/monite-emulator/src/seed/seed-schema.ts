import { z } from 'zod';
import { PAYABLE_STATUSES } from '../domain.js';
import { OWNED_RESOURCES } from '../resources/owned-resources.js';
import { permissionsSchema } from './permissions-schema.js';

const uuid = z.guid({ error: 'must be a UUID' });
const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** An owned object in a seed: id, entity, creator (null: the partner's) and any other fields. */
function ownedObjectSchema(creatorField: string) {
  return z.looseObject({
    id: uuid,
    entityId: uuid,
    [creatorField]: uuid.nullable(),
    created_at: timestamp.optional(),
    updated_at: timestamp.optional(),
  });
}

const ownedObjectArrays = Object.fromEntries(
  OWNED_RESOURCES.map((spec) => [spec.seedKey, z.array(ownedObjectSchema(spec.creatorField)).optional()]),
);

/** The whole seed file. Unknown top-level keys are refused, so a misspelt array is not silently empty. */
export const seedSchema = z.strictObject({
  clients: z
    .array(
      z.strictObject({ clientId: uuid, clientSecret: z.string().min(1, { error: 'must not be empty' }) }),
    )
    .min(1, { error: 'needs at least one client' }),
  entities: z.array(z.strictObject({ id: uuid, name: nonEmpty })),
  roles: z.array(
    z.strictObject({ id: uuid, entityId: uuid, name: nonEmpty, permissions: permissionsSchema }),
  ),
  entityUsers: z.array(
    z.strictObject({
      id: uuid,
      entityId: uuid,
      roleId: uuid.optional(),
      name: nonEmpty,
      login: nonEmpty.optional(),
      email: z.email({ error: 'must be an email address' }).optional(),
    }),
  ),
  payables: z
    .array(
      z.looseObject({
        id: uuid,
        entityId: uuid,
        was_created_by_user_id: uuid.nullable(),
        amount: z.number().int().nonnegative({ error: 'must be >= 0' }),
        currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' }),
        status: z.enum(PAYABLE_STATUSES, { error: `must be one of ${PAYABLE_STATUSES.join(', ')}` }),
      }),
    )
    .optional(),
  ...ownedObjectArrays,
});
