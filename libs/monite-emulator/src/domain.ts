/**
 * Monite domain values the emulator serves and a client may want too, in a module that imports
 * nothing: `monite-emulator/domain` loads only this file, not the server.
 */

/** Payable statuses Monite uses (PayableStateEnum, API 2024-05-25). */
export const PAYABLE_STATUSES = [
  'draft',
  'new',
  'approve_in_progress',
  'waiting_to_be_paid',
  'partially_paid',
  'paid',
  'canceled',
  'rejected',
] as const;

/** One of {@link PAYABLE_STATUSES}. */
export type PayableStatus = (typeof PAYABLE_STATUSES)[number];
