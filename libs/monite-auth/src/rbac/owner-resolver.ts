import type { ExecutionContext, Type } from '@nestjs/common';
import type { MoniteAccessDecision } from './monite-access.decorator.js';

/** What an owner resolver answers: the creating entity user's id; null or undefined when unknown. */
export type MoniteOwner = string | null | undefined;

/**
 * Finds who created the object a request acts on, for `allowed_for_own` permissions. Gets the
 * request's context and the decision in progress (`access.user` is the caller); may set
 * `access.object` to the object it loaded so the handler can reuse it.
 */
export type MoniteOwnerFunction = (
  context: ExecutionContext,
  access: MoniteAccessDecision,
) => MoniteOwner | Promise<MoniteOwner>;

/** An injectable class form of `MoniteOwnerFunction`, resolved through `ModuleRef` (it may inject services). */
export interface MoniteOwnerResolver {
  resolveOwner(context: ExecutionContext, access: MoniteAccessDecision): MoniteOwner | Promise<MoniteOwner>;
}

/** The `owner` option of `@MonitePermission`: a function or an injectable class. */
export type MoniteOwnerOption = MoniteOwnerFunction | Type<MoniteOwnerResolver>;

/** Whether the owner option is a class (its prototype has `resolveOwner`) rather than a plain function. */
export function isOwnerResolverClass(owner: MoniteOwnerOption): owner is Type<MoniteOwnerResolver> {
  return typeof (owner as { prototype?: { resolveOwner?: unknown } }).prototype?.resolveOwner === 'function';
}
