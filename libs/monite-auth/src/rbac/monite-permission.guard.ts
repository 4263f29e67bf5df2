import {
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MoniteAuthError } from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { CompiledRole } from './compiled-role.js';
import { setMoniteAccess, type MoniteAccessDecision } from './monite-access.decorator.js';
import {
  MonitePermissionMetadata,
  MonitePublicMetadata,
  type MonitePermissionRequirement,
} from './monite-permission.decorator.js';
import type { MoniteEntityUserRef } from '../monite-identity.js';
import type { MonitePermissionValue } from '../monite-role.js';
import {
  isOwnerResolverClass,
  type MoniteOwner,
  type MoniteOwnerFunction,
  type MoniteOwnerResolver,
} from './owner-resolver.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import { permissionPairId, permissionPairName } from './permission-matrix.js';
import { MoniteRoleCache } from './role-cache.js';
import { MoniteRoleLoader } from './role-loader.js';

/** What a route requires, worked out once from its decorators. */
export interface MoniteRouteRequirement extends MonitePermissionRequirement {
  /** The matrix pair's number (`permissionPairId`); -1 for a pair the matrix lacks, which every role denies. */
  pairId: number;
  /** `object_type.action`, e.g. `payable.approve`. */
  name: string;
  /** The owner option split by kind, so a request does not test it again. */
  ownerFunction?: MoniteOwnerFunction;
  ownerClass?: Type<MoniteOwnerResolver>;
}

/** The guard's view of a route: public, or guarded by a requirement, or neither (denied). */
export interface MoniteRoutePolicy {
  isPublic: boolean;
  requirement?: MoniteRouteRequirement;
  /** `Controller.handler`, for the audit hook. */
  handler: string;
}

/** The part of a request the guard reads; `getRequest` must return at least this. */
export interface MoniteGuardRequest {
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * Machine-readable reasons given to the audit hook and in 403/503 bodies. Allowed:
 * `allowed` (scope all), `owner` (allowed_for_own, owner matched), `own_scope` (allowed_for_own
 * without an owner resolver; the handler applies it). Denied: see the decision table in docs/permissions.md.
 */
export type MoniteDecisionReason =
  | 'allowed'
  | 'owner'
  | 'own_scope'
  | 'no_permission_metadata'
  | 'unsupported_context'
  | 'no_user'
  | 'entity_mismatch'
  | 'role_unavailable'
  | 'not_allowed'
  | 'no_entity_user'
  | 'owner_unknown'
  | 'not_owner'
  | 'owner_rejected'
  | 'owner_unavailable';

const ENTITY_HEADER = 'x-monite-entity-id';
const NO_POLICY: MoniteRoutePolicy = { isPublic: false, handler: 'unknown' };

/**
 * Deny-by-default guard for Monite's permission matrix. Use it per controller
 * (`@UseGuards(MonitePermissionGuard)`) or for the whole app (`{ provide: APP_GUARD, useClass:
 * MonitePermissionGuard }`). `canActivate` reads as the decision table (docs/permissions.md); every
 * step is a protected method a subclass may override, e.g. `getRequest` for GraphQL.
 *
 * With the role cached and synchronous resolvers it answers synchronously, without a Promise.
 */
@Injectable()
export class MonitePermissionGuard implements CanActivate {
  protected readonly logger = new Logger('MonitePermissionGuard');
  /** Route policies by handler; the class is kept beside it because one handler can serve subclasses. */
  protected readonly policies = new WeakMap<Function, { type: Function; policy: MoniteRoutePolicy }>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly roleCache: MoniteRoleCache,
    protected readonly roleLoader: MoniteRoleLoader,
    protected readonly ownerResolvers: MoniteOwnerResolverRegistry,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.shouldSkip(context)) return true;
    const requirement = this.getRequirement(context);
    const request = this.getRequest(context);
    const user = this.resolveUser(context);
    return isPromiseLike(user)
      ? Promise.resolve(user).then((resolved) => this.authorize(context, requirement, request, resolved))
      : this.authorize(context, requirement, request, user);
  }

  /** The caller is known (or not): 401 without one, then entity isolation, the role and the decision. */
  protected authorize(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    request: MoniteGuardRequest,
    user: MoniteEntityUserRef | undefined,
  ): boolean | Promise<boolean> {
    if (!isEntityUserRef(user)) return this.throwUnauthorized(context);
    this.checkEntityIsolation(context, request, user);
    const role = this.loadRole(context, user);
    return role instanceof CompiledRole
      ? this.decide(context, requirement, request, user, role)
      : role.then((loaded) => this.decide(context, requirement, request, user, loaded));
  }

  /** `@MonitePublic()` on the handler, or on the class without a handler-level `@MonitePermission`. */
  protected shouldSkip(context: ExecutionContext): boolean {
    return this.getPolicy(context).isPublic;
  }

  /** The route's `@MonitePermission` (handler wins over class). None and not public: 403. */
  protected getRequirement(context: ExecutionContext): MoniteRouteRequirement {
    return this.getPolicy(context).requirement ?? this.throwDenied(context, 'no_permission_metadata');
  }

  /**
   * The request object for this context. HTTP (Express and Fastify) is handled; any other context
   * (rpc, ws, graphql) is denied, never let through. Override to adapt, e.g. for GraphQL return
   * `GqlExecutionContext.create(context).getContext().req`.
   */
  protected getRequest(context: ExecutionContext): MoniteGuardRequest {
    // Not switchToHttp(): it allocates closures on every call.
    if (context.getType() === 'http') return context.getArgByIndex<MoniteGuardRequest>(0);
    return this.throwDenied(context, 'unsupported_context');
  }

  /** The entity user the request acts for, from the `resolveEntityUser` option. Undefined means nobody (401). */
  protected resolveUser(
    context: ExecutionContext,
  ): MoniteEntityUserRef | undefined | Promise<MoniteEntityUserRef | undefined> {
    return this.options.resolveEntityUser?.(context);
  }

  /** The caller's entity is fixed by `resolveEntityUser`: an `x-monite-entity-id` naming another one is a 403. */
  protected checkEntityIsolation(
    context: ExecutionContext,
    request: MoniteGuardRequest,
    user: MoniteEntityUserRef,
  ): void {
    const header = request.headers?.[ENTITY_HEADER];
    if (header !== undefined && header !== user.entityId) this.throwDenied(context, 'entity_mismatch', user);
  }

  /** The caller's compiled role: from the cache (synchronously), else loaded once. Any failure: 503. */
  protected loadRole(
    context: ExecutionContext,
    user: MoniteEntityUserRef,
  ): CompiledRole | Promise<CompiledRole> {
    return (
      this.roleCache.peek(user) ??
      this.roleCache
        .getOrLoad(user, this.roleLoader)
        .catch((error: unknown) => this.throwUnavailable(context, 'role_unavailable', user, error))
    );
  }

  /** `allowed`: pass, scope all. `allowed_for_own`: the owner check. Anything else: 403 naming the permission. */
  protected decide(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    request: MoniteGuardRequest,
    user: MoniteEntityUserRef,
    role: CompiledRole,
  ): boolean | Promise<boolean> {
    const permission = role.permissionAt(requirement.pairId);
    if (permission === 'allowed') {
      return this.allow(
        context,
        request,
        this.createDecision(requirement, user, permission, 'all'),
        'allowed',
      );
    }
    if (permission === 'allowed_for_own') {
      return this.checkOwner(
        context,
        requirement,
        request,
        this.createDecision(requirement, user, permission, 'own'),
      );
    }
    return this.throwDenied(context, 'not_allowed', user);
  }

  /**
   * `allowed_for_own`. A partner-token caller (no entity user) owns nothing: 403. With an owner
   * resolver, pass only when the owner is the caller (null, undefined or unknown owner: 403).
   * Without one, pass with scope `own`: the handler must apply it.
   */
  protected checkOwner(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    request: MoniteGuardRequest,
    access: MoniteAccessDecision,
  ): boolean | Promise<boolean> {
    if (!access.user.entityUserId) return this.throwDenied(context, 'no_entity_user', access.user);
    if (requirement.ownerFunction === undefined && requirement.ownerClass === undefined) {
      return this.allow(context, request, access, 'own_scope');
    }
    let owner: MoniteOwner | Promise<MoniteOwner>;
    try {
      owner = this.resolveOwner(context, requirement, access);
    } catch (error) {
      return this.ownerFailed(context, access.user, error);
    }
    return isPromiseLike(owner)
      ? Promise.resolve(owner).then(
          (resolved) => this.compareOwner(context, request, access, resolved),
          (error: unknown) => this.ownerFailed(context, access.user, error),
        )
      : this.compareOwner(context, request, access, owner);
  }

  /** Runs the route's owner resolver (function or class instance). */
  protected resolveOwner(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    access: MoniteAccessDecision,
  ): MoniteOwner | Promise<MoniteOwner> {
    if (requirement.ownerFunction !== undefined) return requirement.ownerFunction(context, access);
    const type = requirement.ownerClass as Type<MoniteOwnerResolver>;
    const resolver = this.ownerResolvers.get(type);
    return resolver !== undefined
      ? resolver.resolveOwner(context, access)
      : this.ownerResolvers.resolve(type).then((created) => created.resolveOwner(context, access));
  }

  /** Passes only a non-empty owner equal to the caller's entity user id. */
  protected compareOwner(
    context: ExecutionContext,
    request: MoniteGuardRequest,
    access: MoniteAccessDecision,
    owner: MoniteOwner,
  ): boolean {
    if (typeof owner === 'string' && owner !== '' && owner === access.user.entityUserId) {
      return this.allow(context, request, access, 'owner');
    }
    return this.throwDenied(
      context,
      owner === null || owner === undefined || owner === '' ? 'owner_unknown' : 'not_owner',
      access.user,
    );
  }

  /** An owner resolver threw: its own HTTP error (e.g. 400 for a malformed id) stands; anything else is 503. */
  protected ownerFailed(context: ExecutionContext, user: MoniteEntityUserRef, error: unknown): never {
    if (error instanceof HttpException) {
      this.recordDecision(context, false, 'owner_rejected', user);
      throw error;
    }
    return this.throwUnavailable(context, 'owner_unavailable', user, error);
  }

  /** The decision the handler reads with `@MoniteAccess()`. One allocation per request. */
  protected createDecision(
    requirement: MoniteRouteRequirement,
    user: MoniteEntityUserRef,
    permission: MonitePermissionValue,
    scope: 'all' | 'own',
  ): MoniteAccessDecision {
    return {
      user,
      objectType: requirement.objectType,
      action: requirement.action,
      permission,
      scope,
      object: undefined,
    };
  }

  /** Stores the decision on the request, reports it, passes. */
  protected allow(
    context: ExecutionContext,
    request: MoniteGuardRequest,
    access: MoniteAccessDecision,
    reason: MoniteDecisionReason,
  ): true {
    setMoniteAccess(request, access);
    this.recordDecision(context, true, reason, access.user);
    return true;
  }

  /**
   * Calls the `onAccessDecision` audit hook, if any. A hook that throws (or rejects) is logged and
   * never changes the decision.
   */
  protected recordDecision(
    context: ExecutionContext,
    allowed: boolean,
    reason: MoniteDecisionReason,
    user?: MoniteEntityUserRef,
  ): void {
    const hooks = this.options.hooks;
    if (hooks?.onAccessDecision === undefined) return;
    const policy = this.getPolicy(context);
    try {
      const result: unknown = hooks.onAccessDecision({
        allowed,
        reason,
        entityUserId: user?.entityUserId || undefined,
        entityId: user?.entityId,
        objectType: policy.requirement?.objectType,
        action: policy.requirement?.action,
        handler: policy.handler,
      });
      if (isPromiseLike(result)) Promise.resolve(result).catch((error: unknown) => this.hookFailed(error));
    } catch (error) {
      this.hookFailed(error);
    }
  }

  /** 403 with a body naming the missing permission and the reason. */
  protected throwDenied(
    context: ExecutionContext,
    reason: MoniteDecisionReason,
    user?: MoniteEntityUserRef,
  ): never {
    this.recordDecision(context, false, reason, user);
    const name = this.getPolicy(context).requirement?.name;
    throw new ForbiddenException({
      statusCode: 403,
      error: 'Forbidden',
      message: this.denialMessage(context, reason, name),
      reason,
      ...(name !== undefined ? { permission: name } : {}),
    });
  }

  /** 401: no entity user for this request. */
  protected throwUnauthorized(context: ExecutionContext): never {
    this.recordDecision(context, false, 'no_user');
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'No Monite entity user for this request',
      reason: 'no_user',
    });
  }

  /** 503: the role (or the owner) could not be loaded. Never a pass. The cause is logged, not sent. */
  protected throwUnavailable(
    context: ExecutionContext,
    reason: MoniteDecisionReason,
    user: MoniteEntityUserRef | undefined,
    cause: unknown,
  ): never {
    this.logger.warn(
      `${reason === 'role_unavailable' ? 'Role' : 'Owner'} unavailable for entity user ${user?.entityUserId || '(partner)'} on ${this.getPolicy(context).handler}: ${describeError(cause)}`,
    );
    this.recordDecision(context, false, reason, user);
    throw new ServiceUnavailableException({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Monite permissions are unavailable, try again later',
      reason,
    });
  }

  /** The 403 message. */
  protected denialMessage(
    context: ExecutionContext,
    reason: MoniteDecisionReason,
    permission?: string,
  ): string {
    switch (reason) {
      case 'not_allowed':
        return `Monite permission ${permission} is not allowed for this user`;
      case 'no_permission_metadata':
        return 'This route has no @MonitePermission and is not @MonitePublic';
      case 'unsupported_context':
        return `The Monite permission guard does not handle ${context.getType()} contexts`;
      case 'entity_mismatch':
        return `${ENTITY_HEADER} names another entity than the caller's`;
      case 'no_entity_user':
        return `Monite permission ${permission} is allowed only on own objects, and a partner caller owns none`;
      case 'owner_unknown':
        return `Monite permission ${permission} is allowed only on own objects, and this object's owner is unknown`;
      case 'not_owner':
        return `Monite permission ${permission} is allowed only on own objects, and this object is another user's`;
      default:
        return `Monite permission ${permission} is denied (${reason})`;
    }
  }

  /** The route's policy, computed on first use and cached per handler. */
  protected getPolicy(context: ExecutionContext): MoniteRoutePolicy {
    const handler = context.getHandler();
    const type = context.getClass();
    if (typeof handler !== 'function') return NO_POLICY;
    const cached = this.policies.get(handler);
    if (cached !== undefined && cached.type === type) return cached.policy;
    const policy = this.buildPolicy(type, handler);
    this.policies.set(handler, { type, policy });
    return policy;
  }

  /**
   * Handler-level decorators win over class-level ones. On one level, `@MonitePermission` wins over
   * `@MonitePublic` (fail closed; the startup validator rejects that combination anyway).
   */
  protected buildPolicy(type: Type<unknown> | Function, handler: Function): MoniteRoutePolicy {
    const name = `${type?.name ?? 'unknown'}.${handler.name}`;
    for (const target of [handler, type]) {
      if (typeof target !== 'function') continue;
      const permission = this.reflector.get(MonitePermissionMetadata, target);
      if (permission !== undefined)
        return { isPublic: false, requirement: toRequirement(permission), handler: name };
      if (this.reflector.get(MonitePublicMetadata, target) === true) return { isPublic: true, handler: name };
    }
    return { isPublic: false, handler: name };
  }

  protected hookFailed(error: unknown): void {
    this.logger.error(`onAccessDecision hook failed: ${describeError(error)}`);
  }
}

function toRequirement(metadata: MonitePermissionRequirement): MoniteRouteRequirement {
  const { objectType, action, owner } = metadata;
  // Computed from the names here, once per route, so a check at request time is an array index.
  const pairId = permissionPairId(objectType, action);
  return {
    objectType,
    action,
    owner,
    pairId,
    name: permissionPairName(pairId) ?? `${objectType}.${action}`,
    ownerClass: owner !== undefined && isOwnerResolverClass(owner) ? owner : undefined,
    ownerFunction: owner !== undefined && !isOwnerResolverClass(owner) ? owner : undefined,
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function isEntityUserRef(user: unknown): user is MoniteEntityUserRef {
  const ref = user as Partial<MoniteEntityUserRef> | null | undefined;
  return (
    typeof ref === 'object' &&
    ref !== null &&
    typeof ref.entityId === 'string' &&
    ref.entityId !== '' &&
    typeof ref.entityUserId === 'string'
  );
}

/** Our own errors are safe to log; anything else only by its name (its message may hold anything). */
function describeError(error: unknown): string {
  if (error instanceof MoniteAuthError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.name : typeof error;
}
