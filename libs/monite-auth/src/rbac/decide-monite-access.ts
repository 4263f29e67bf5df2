import {
  isMonitePartner,
  normalizeMoniteId,
  type MoniteCallerReading,
  type MoniteEntityUserRef,
} from '../monite-identity.js';
import type { CompiledRole } from './compiled-role.js';
import type { MoniteRouteRequirement } from './monite-route-policy.js';

/**
 * Machine-readable reasons given to the audit hook and in 401/403/503 bodies. Allowed: `allowed`
 * (scope all), `owner` (allowed_for_own, owner matched), `own_scope` (allowed_for_own without an
 * owner resolver; the handler applies it). Denied: see the decision table in docs/permissions.md.
 * The 403 body says `not_owner` for `owner_unknown` too (no existence oracle); the hook keeps it apart.
 */
export type MoniteDecisionReason =
  | 'allowed'
  | 'owner'
  | 'own_scope'
  | 'no_permission_metadata'
  | 'unsupported_context'
  | 'no_user'
  | 'unknown_entity_user'
  | 'entity_mismatch'
  | 'role_unavailable'
  | 'role_inactive'
  | 'not_allowed'
  | 'no_entity_user'
  | 'owner_unknown'
  | 'not_owner'
  | 'owner_rejected'
  | 'owner_unavailable';

/** The `x-monite-entity-id` header as a request carries it (absent, once, or repeated). */
export type MoniteEntityHeader = string | readonly string[] | undefined;

/** An owner resolver's answer, once it has one (`undefined` and `null`: unknown). */
export interface MoniteResolvedOwner {
  readonly owner: unknown;
}

/** What `decideMoniteAccess` concluded. */
export type MoniteAccessVerdict =
  | {
      readonly outcome: 'allow';
      readonly reason: 'allowed' | 'owner' | 'own_scope';
      readonly permission: 'allowed' | 'allowed_for_own';
      readonly scope: 'all' | 'own';
    }
  | { readonly outcome: 'deny'; readonly reason: MoniteDecisionReason; readonly status: 401 | 403 }
  /** `allowed_for_own` with an owner resolver: decide again with the owner it finds. */
  | { readonly outcome: 'owner_needed'; readonly permission: 'allowed_for_own'; readonly scope: 'own' };

type Denial = Extract<MoniteAccessVerdict, { outcome: 'deny' }>;

const deny = (reason: MoniteDecisionReason, status: 401 | 403 = 403): Denial =>
  Object.freeze({ outcome: 'deny', reason, status });

/** Every verdict is one of these constants: deciding allocates nothing. */
export const MONITE_VERDICTS = Object.freeze({
  allowed: Object.freeze({
    outcome: 'allow',
    reason: 'allowed',
    permission: 'allowed',
    scope: 'all',
  } as const),
  owner: Object.freeze({
    outcome: 'allow',
    reason: 'owner',
    permission: 'allowed_for_own',
    scope: 'own',
  } as const),
  ownScope: Object.freeze({
    outcome: 'allow',
    reason: 'own_scope',
    permission: 'allowed_for_own',
    scope: 'own',
  } as const),
  ownerNeeded: Object.freeze({
    outcome: 'owner_needed',
    permission: 'allowed_for_own',
    scope: 'own',
  } as const),
  noPermissionMetadata: deny('no_permission_metadata'),
  noUser: deny('no_user', 401),
  unknownEntityUser: deny('unknown_entity_user', 401),
  entityMismatch: deny('entity_mismatch'),
  roleInactive: deny('role_inactive'),
  notAllowed: deny('not_allowed'),
  noEntityUser: deny('no_entity_user'),
  ownerUnknown: deny('owner_unknown'),
  notOwner: deny('not_owner'),
});

/**
 * The decision table (docs/permissions.md), as one function of what the guard knows about a
 * request. It never throws and never waits: the guard gathers the inputs (each step may fail on
 * its own: 401 for the caller, 503 when the role or the owner cannot be loaded) and answers with
 * this verdict; an access review or a test can call it with the same inputs.
 *
 * @param requirement the route's requirement (`undefined`: not public and no `@MonitePermission`)
 * @param caller `readMoniteCaller(whatever resolveEntityUser gave)`
 * @param entityHeader the request's `x-monite-entity-id`
 * @param role the caller's compiled role
 * @param owner the owner resolver's answer; leave out until there is one (`owner_needed`)
 */
export function decideMoniteAccess(
  requirement: MoniteRouteRequirement | undefined,
  caller: MoniteCallerReading,
  entityHeader: MoniteEntityHeader,
  role: CompiledRole,
  owner?: MoniteResolvedOwner,
): MoniteAccessVerdict {
  if (requirement === undefined) return MONITE_VERDICTS.noPermissionMetadata;
  const who = caller.caller;
  if (who === undefined) return denialOf(caller.problem);
  if (!entityHeaderMatches(entityHeader, who.entityId)) return MONITE_VERDICTS.entityMismatch;
  if (!role.active) return MONITE_VERDICTS.roleInactive;
  const permission = role.permissionAt(requirement.pairId);
  if (permission === 'allowed') return MONITE_VERDICTS.allowed;
  if (permission !== 'allowed_for_own') return MONITE_VERDICTS.notAllowed;
  // allowed_for_own: the partner is no entity user and created nothing.
  if (isMonitePartner(who)) return MONITE_VERDICTS.noEntityUser;
  if (requirement.ownerFunction === undefined && requirement.ownerClass === undefined) {
    return MONITE_VERDICTS.ownScope;
  }
  if (owner === undefined) return MONITE_VERDICTS.ownerNeeded;
  return ownerVerdict(owner.owner, who);
}

/**
 * The last step of the decision table, once an `owner_needed` verdict has its owner (the owner
 * resolver's answer): unknown (`undefined`, `null`, not a Monite id) denies as `owner_unknown`; the
 * caller's entity user is allowed as `owner`; anyone else is `not_owner`.
 */
export function ownerVerdict(
  owner: unknown,
  caller: MoniteEntityUserRef,
): typeof MONITE_VERDICTS.owner | typeof MONITE_VERDICTS.ownerUnknown | typeof MONITE_VERDICTS.notOwner {
  const ownerId = normalizeMoniteId(owner);
  if (ownerId === undefined) return MONITE_VERDICTS.ownerUnknown;
  return ownerId === caller.entityUserId ? MONITE_VERDICTS.owner : MONITE_VERDICTS.notOwner;
}

/** 401 when there is no caller (`no_user`) or its id is not a Monite id (`unknown_entity_user`). */
export function callerDenial(caller: MoniteCallerReading): Denial | undefined {
  return caller.caller === undefined ? denialOf(caller.problem) : undefined;
}

function denialOf(problem: 'no_user' | 'invalid_id'): Denial {
  return problem === 'invalid_id' ? MONITE_VERDICTS.unknownEntityUser : MONITE_VERDICTS.noUser;
}

/**
 * Whether `x-monite-entity-id` leaves the caller in its entity: absent, or every value it carries
 * (each element of a list, each comma-separated part of a repeated header joined by Node) is the
 * caller's entity id, in any letter case. Anything else, an empty value included, is a mismatch.
 */
export function entityHeaderMatches(header: unknown, entityId: string): boolean {
  if (header === undefined || header === entityId) return true;
  if (typeof header === 'string') return everyPartIs(header, entityId);
  if (!Array.isArray(header) || header.length === 0) return false;
  return header.every((value) => typeof value === 'string' && everyPartIs(value, entityId));
}

function everyPartIs(value: string, entityId: string): boolean {
  return value.split(',').every((part) => normalizeMoniteId(part.trim()) === entityId);
}
