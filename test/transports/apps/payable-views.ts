/*
 * What every transport's test handlers answer: which handler ran and what the guard decided, as
 * `@MoniteAccess()` handed it over. Handlers call nothing else: an answer is the guard's decision.
 */
import { DEMO_PAYABLES } from 'monite-emulator';
import type { MoniteAccessDecision, MoniteOwner } from 'nestjs-monite-auth';
import type { HandlerRuns } from '../transport-test-kit.js';

export interface PayableView {
  handler: string;
  scope: string;
  permission: string;
  entityUserId: string;
  /** The id of the object the owner resolver loaded (`access.object`), if any. */
  objectId: string | null;
}

/** Records the run and shows the decision. */
export function viewOf(runs: HandlerRuns, handler: string, access: MoniteAccessDecision): PayableView {
  runs.record(handler);
  const object = access.object as { id?: string } | undefined;
  return {
    handler,
    scope: access.scope,
    permission: access.permission,
    entityUserId: access.user.entityUserId,
    objectId: object?.id ?? null,
  };
}

/** The app's own copy of who created each demo payable, for owner functions. */
const CREATORS = new Map<string, string | null>(
  Object.values(DEMO_PAYABLES).map((payable) => [payable.id, payable.was_created_by_user_id]),
);

/** The creator of a payable from the app's own copy (an owner function's answer). */
export function creatorOf(payableId: unknown): MoniteOwner {
  return typeof payableId === 'string' ? CREATORS.get(payableId) : undefined;
}
