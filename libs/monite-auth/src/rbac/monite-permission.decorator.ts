import { Reflector } from '@nestjs/core';
import type { MoniteOwnerOption } from './owner-resolver.js';
import type { MoniteAction, MoniteObjectType } from './permission-matrix.js';

/** Options of `@MonitePermission`. */
export interface MonitePermissionOptions {
  /**
   * For `allowed_for_own` permissions: who created the object the request acts on. A function
   * `(context, access) => ownerId`, an injectable class implementing `MoniteOwnerResolver`, or the
   * built-in `fromMoniteObject(objectType, { param })`. Without it, `allowed_for_own` passes with
   * scope `own`, which the handler must apply.
   */
  owner?: MoniteOwnerOption;
}

/** The metadata `@MonitePermission` stores. */
export interface MonitePermissionRequirement {
  objectType: MoniteObjectType;
  action: string;
  owner?: MoniteOwnerOption;
}

/** Typed metadata key and raw decorator of `@MonitePermission` (read it with `Reflector`). */
export const MonitePermissionMetadata = Reflector.createDecorator<MonitePermissionRequirement>();

/** Typed metadata key and raw decorator of `@MonitePublic`. */
export const MonitePublicMetadata = Reflector.createDecorator<true>();

/**
 * Requires the Monite permission `objectType.action` for a controller (every handler) or a handler;
 * a handler's own decorator wins over its class's. Both arguments are typed from the permission
 * matrix: `@MonitePermission('entity', 'delete')` does not compile.
 */
export function MonitePermission<T extends MoniteObjectType>(
  objectType: T,
  action: MoniteAction<T>,
  options: MonitePermissionOptions = {},
): ClassDecorator & MethodDecorator {
  return MonitePermissionMetadata({ objectType, action, owner: options.owner });
}

/**
 * Lets a route through the guard without any permission (health checks, login). Needed for every
 * unguarded route when the guard is global (`APP_GUARD`): a route with neither decorator is a 403.
 * On a handler it wins over a class-level `@MonitePermission`, and the other way round.
 */
export function MonitePublic(): ClassDecorator & MethodDecorator {
  return MonitePublicMetadata(true);
}
