import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { isMonitePartner, type MoniteCaller, type MoniteEntityUserRef } from '../monite-identity.js';
import type { MonitePermissionValue } from '../monite-role.js';
import { findMoniteAccess } from './monite-transport-arguments.js';
import type { MoniteObjectType } from './permission-matrix.js';

/**
 * What the guard decided for this request, handed to the handler by `@MoniteAccess()`.
 *
 * `scope` is `all` when the role allows the action outright, and `own` when it allows it only on
 * objects the caller created. With `own` and no owner resolver on the route, the guard could not
 * compare owners: the handler must apply the scope (filter lists by `user.entityUserId`, force the
 * caller as owner on create, check every id of a batch).
 */
export interface MoniteAccessDecision {
  /**
   * The entity user the request acts for (from `resolveEntityUser`, ids in lower case). For the
   * partner caller (`moniteAsPartner`, only ever on `allowed` routes) it keeps the former shape
   * `{ entityUserId: '', entityId }`; read `caller` to tell the two apart.
   */
  user: MoniteEntityUserRef;
  /** Who the request acts for: the entity user (the same object as `user`), or the partner. */
  caller: MoniteCaller;
  objectType: MoniteObjectType;
  action: string;
  /** The role's permission for `objectType.action`: `allowed` or `allowed_for_own` once the guard passed. */
  permission: MonitePermissionValue;
  scope: 'all' | 'own';
  /** The object an owner resolver loaded to find its creator (the built-in one sets it), so the handler need not fetch it again. */
  object?: unknown;
}

/** A decision for `caller`: what the guard hands to owner resolvers and the handler. */
export function createMoniteAccess(
  caller: MoniteCaller,
  objectType: MoniteObjectType,
  action: string,
  permission: MonitePermissionValue,
  scope: 'all' | 'own',
): MoniteAccessDecision {
  return {
    user: isMonitePartner(caller) ? { entityUserId: '', entityId: caller.entityId } : caller,
    caller,
    objectType,
    action,
    permission,
    scope,
    object: undefined,
  };
}

/**
 * Where the decision is kept on the request object. A Symbol: invisible to JSON and `Object.keys`, no
 * clash. Not a WeakMap beside the request: measured, one entry per request cost 2 to 4 us more CPU
 * per request (the collector's ephemeron work) than this property.
 */
export const MONITE_ACCESS = Symbol('MoniteAccessDecision');

type Holder = { [MONITE_ACCESS]?: MoniteAccessDecision };

/** Stores the decision on an HTTP request (Express `req`, Fastify `request`). */
export function setMoniteAccess(request: object, decision: MoniteAccessDecision): void {
  (request as Holder)[MONITE_ACCESS] = decision;
}

/** The decision the guard stored on this HTTP request, or undefined (public route, or the guard did not run). Other contexts: `@MoniteAccess()`. */
export function getMoniteAccess(request: unknown): MoniteAccessDecision | undefined {
  return typeof request === 'object' && request !== null ? (request as Holder)[MONITE_ACCESS] : undefined;
}

/**
 * Finds the decision for a context: on the HTTP request, or kept with the call in a GraphQL,
 * WebSocket or RPC context (one field resolution, one message; monite-transport-arguments.ts).
 */
export function getMoniteAccessFromContext(context: ExecutionContext): MoniteAccessDecision | undefined {
  if (context.getType() === 'http') return getMoniteAccess(context.getArgByIndex(0));
  return findMoniteAccess(context);
}

/**
 * Parameter decorator: the guard's `MoniteAccessDecision` for this request, in a controller,
 * resolver, gateway or message handler. Undefined on a `@MonitePublic()` route.
 *
 * ```ts
 * @Get() @MonitePermission('payable', 'read')
 * list(@MoniteAccess() access: MoniteAccessDecision) { ... }
 * ```
 */
export const MoniteAccess = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  getMoniteAccessFromContext(context),
);
