import type { MonitePermissionRequirement } from '../index.js';

/** A response the guard gives instead of running the handler. */
export interface GuardResponseDoc {
  status: 401 | 403 | 503;
  description: string;
}

/** The body of every refusal by the guard: Nest's HttpException body plus the guard's `reason`. */
export const GUARD_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message', 'reason'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    reason: {
      type: 'string',
      description: 'Why the guard refused, e.g. `no_user`, `not_allowed`, `not_owner`, `role_unavailable`',
    },
    permission: { type: 'string', description: 'The Monite permission the operation requires (403)' },
  },
};

/** `object_type.action`, as Monite names a permission (and as the guard's 403 body does). */
export function permissionName(requirement: MonitePermissionRequirement): string {
  return `${requirement.objectType}.${requirement.action}`;
}

/**
 * The operation description of a route guarded by `@MonitePermission`: the permission, and what
 * `allowed_for_own` means there (an owner the guard checks, or a scope the handler applies).
 */
export function describePermission(requirement: MonitePermissionRequirement): string {
  const ownerName = requirement.owner?.name;
  const own =
    requirement.owner === undefined
      ? 'the guard lets the call through with scope `own`, and the handler limits it to objects the caller created'
      : "only objects the caller created: the guard compares the object's creator with the caller before the handler runs" +
        (ownerName ? ` (owner resolver \`${ownerName}\`)` : '');
  return (
    `Requires Monite permission \`${permissionName(requirement)}\`. ` +
    `\`allowed\`: granted. \`allowed_for_own\`: ${own}. ` +
    "`not_allowed`, or no entry in the caller's role: 403."
  );
}

/** The 401, 403 and 503 the guard can answer on a route that requires `requirement`. */
export function guardResponses(requirement: MonitePermissionRequirement): GuardResponseDoc[] {
  const ownerClause = requirement.owner === undefined ? '' : ', or the caller did not create the object';
  return [
    { status: 401, description: 'No Monite entity user for this request (not authenticated)' },
    {
      status: 403,
      description:
        `The caller's Monite role does not grant \`${permissionName(requirement)}\`${ownerClause}, ` +
        "or `x-monite-entity-id` names another entity than the caller's; `reason` says which",
    },
    {
      status: 503,
      description:
        requirement.owner === undefined
          ? "The caller's Monite role could not be loaded from Monite; try again later"
          : "The caller's Monite role, or the object's owner, could not be loaded from Monite; try again later",
    },
  ];
}
