import { z } from 'zod';

/** `POST /auth/login`: a demo user name, or a Monite entity user and its entity. */
export const loginBody = z
  .strictObject({
    user: z
      .string({ error: 'must be a demo user name, e.g. carol' })
      .min(1, { error: 'must be a demo user name, e.g. carol' })
      .max(64, { error: 'must be a demo user name, e.g. carol' })
      .optional(),
    entityUserId: z.guid({ error: 'must be a Monite entity user id (a UUID)' }).optional(),
    entityId: z.guid({ error: 'must be a Monite entity id (a UUID)' }).optional(),
  })
  .refine(
    (body) =>
      body.user !== undefined
        ? body.entityUserId === undefined && body.entityId === undefined
        : body.entityUserId !== undefined && body.entityId !== undefined,
    { error: 'give either "user" (a demo user name) or both "entityUserId" and "entityId"' },
  );
export type LoginBody = z.output<typeof loginBody>;
