/**
 * What each route demands of its caller, declared beside the route: the route table the README's
 * route list is generated from, and what the permission tests walk.
 */

/** What `allowed_for_own` lets the caller do on a route. */
export type OwnScope =
  /** A list: only the objects the caller created are listed. */
  | 'filtered'
  /** One object: only an object the caller created. */
  | 'creator'
  /** A create: the new object is the caller's own, so it is allowed. */
  | 'creates-own'
  /** A create whose result is never the caller's own (a user, a role): 403. */
  | 'not-enough'
  /** Entity users: only the caller's own record. */
  | 'self'
  /** Roles: only the role the caller holds. */
  | 'held-role';

export type RouteAccess =
  /** Client credentials in the body (the token endpoints). */
  | { kind: 'client-credentials' }
  /** A bearer token plus the client credentials in the body (revocation). */
  | { kind: 'token-and-credentials' }
  /** An entity-user token; the answer is about the caller itself. */
  | { kind: 'entity-user' }
  /** The caller's role must grant `action` on `objectType` (the partner token may do everything). */
  | { kind: 'permission'; objectType: string; action: string; own: OwnScope };

/** Shorthand for a permission-checked route. */
export function permission(objectType: string, action: string, own: OwnScope): RouteAccess {
  return { kind: 'permission', objectType, action, own };
}

const OWN_TEXT: Record<OwnScope, string> = {
  filtered: 'lists only what the caller created',
  creator: 'only objects the caller created',
  'creates-own': "allowed (the new object is the caller's)",
  'not-enough': 'not enough (403)',
  self: "only the caller's own record",
  'held-role': 'only the role the caller holds',
};

/** The README's two columns for a route: what it checks, and what `allowed_for_own` permits. */
export function describeAccess(access: RouteAccess): [permission: string, own: string] {
  switch (access.kind) {
    case 'client-credentials':
      return ['client credentials in the body', '(none)'];
    case 'token-and-credentials':
      return ['bearer token + client credentials', '(none)'];
    case 'entity-user':
      return ['an entity-user token (the caller itself)', '(none)'];
    case 'permission':
      return [`\`${access.objectType}.${access.action}\``, OWN_TEXT[access.own]];
  }
}
