import { PAYABLE_STATUSES } from 'monite-emulator/domain';
import { z } from 'zod';

/** Monite's payable statuses, as the emulator (which the demo already runs on) knows them. */
export { PAYABLE_STATUSES };

/** A Monite object id in a path: a UUID, or a 400 before Monite is called. */
export const idParam = z.guid({ error: 'must be a payable id (a UUID)' });

/** `GET /payables` query. Unknown parameters are refused rather than silently ignored. */
export const listPayablesQuery = z.strictObject({
  status: z.enum(PAYABLE_STATUSES, { error: `must be one of ${PAYABLE_STATUSES.join(', ')}` }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 100' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, { error: 'must be a whole number from 1 to 100' })
    .optional(),
  pagination_token: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(1000, { error: 'is too long' })
    .optional(),
});
export type ListPayablesQuery = z.output<typeof listPayablesQuery>;

/** `POST /payables` body: what the demo lets a user enter. */
export const createPayableBody = z.strictObject({
  amount: z
    .number({ error: 'must be a number (minor units, e.g. cents)' })
    .int({ error: 'must be a whole number of minor units (e.g. cents)' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000_000_00, { error: 'is too large' }),
  currency: z
    .string({ error: 'must be a 3-letter currency code, e.g. EUR' })
    .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter currency code, e.g. EUR' }),
  description: z
    .string({ error: 'must be text' })
    .max(1000, { error: 'must be at most 1000 characters' })
    .optional(),
  due_date: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }).optional(),
});
export type CreatePayableBody = z.output<typeof createPayableBody>;

/** `approve` and `pay` take no fields: a body with any is refused. */
export const noFieldsBody = z.strictObject({});

/** What the demo reads from a Monite payable. */
export interface Payable {
  id: string;
  was_created_by_user_id: string | null;
  status: string;
  amount: number;
  currency: string;
  [field: string]: unknown;
}

export interface PayableList {
  data: Payable[];
  prev_pagination_token?: string | null;
  next_pagination_token?: string | null;
}
