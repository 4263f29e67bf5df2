import type { MoniteAccessDecisionEvent } from '../monite-auth.hooks.js';
import { isMonitePartner, type MoniteCaller } from '../monite-identity.js';
import type { MoniteDecisionReason } from './decide-monite-access.js';
import type { MoniteRoutePolicy } from './monite-route-policy.js';
import { isPromiseLike } from './when-ready.js';

/** The audit hook's event for a decision on a route, with the precise reason. */
export function accessDecisionEvent(
  policy: MoniteRoutePolicy,
  allowed: boolean,
  reason: MoniteDecisionReason,
  caller: MoniteCaller | undefined,
): MoniteAccessDecisionEvent {
  return {
    allowed,
    reason,
    // The partner has no entity user id: the event names only its entity.
    entityUserId: caller !== undefined && !isMonitePartner(caller) ? caller.entityUserId : undefined,
    entityId: caller?.entityId,
    objectType: policy.requirement?.objectType,
    action: policy.requirement?.action,
    handler: policy.handler,
  };
}

/** Calls the audit hook; one that throws or rejects goes to `failed` and never changes the decision. */
export function callAuditHook(
  hook: (event: MoniteAccessDecisionEvent) => unknown,
  event: MoniteAccessDecisionEvent,
  failed: (error: unknown) => void,
): void {
  try {
    const result = hook(event);
    if (isPromiseLike(result)) Promise.resolve(result).catch(failed);
  } catch (error) {
    failed(error);
  }
}
