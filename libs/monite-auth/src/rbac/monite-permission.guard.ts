import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import {
  isMonitePartner,
  readMoniteCaller,
  type MoniteCaller,
  type MoniteCallerReading,
  type MoniteEntityUserRef,
} from '../monite-identity.js';
import { MONITE_AUTH_CLOCK, systemClock, type MoniteClock } from '../tokens/monite-clock.js';
import type { CompiledRole } from './compiled-role.js';
import {
  callerDenial,
  decideMoniteAccess,
  entityHeaderMatches,
  ownerVerdict,
  type MoniteEntityHeader,
} from './decide-monite-access.js';
import { createMoniteAccess, type MoniteAccessDecision } from './monite-access.decorator.js';
import { withinDeadline } from './monite-deadline.js';
import { MonitePermissionAnswers } from './monite-permission.answers.js';
import { MONITE_ENTITY_HEADER } from './monite-permission.exceptions.js';
import { MoniteRoutePolicies, type MoniteRouteRequirement } from './monite-route-policy.js';
import type { MoniteOwner, MoniteOwnerResolver } from './owner-resolver.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import { MoniteRoleCache } from './role-cache.js';
import { MoniteRoleLoader, unknownToMonite } from './role-loader.js';
import { transportRequestOf, type MoniteGuardRequest } from './monite-transport-arguments.js';
import { isPromiseLike, whenReady } from './when-ready.js';

export type { MoniteGuardRequest } from './monite-transport-arguments.js';

/** A caller `readMoniteCaller` could read. */
export type MoniteIdentifiedCaller = Extract<MoniteCallerReading, { caller: MoniteCaller }>;

/**
 * Deny-by-default guard for Monite's permission matrix. Use it per controller
 * (`@UseGuards(MonitePermissionGuard)`) or for the whole app (`{ provide: APP_GUARD, useClass:
 * MonitePermissionGuard }`). `canActivate` reads as the decision table (docs/permissions.md):
 * public? -> requirement -> caller (401) -> entity isolation -> role (503) -> decision (403) -> owner.
 * Every step is a protected method a subclass may override; the decision itself is
 * `decideMoniteAccess`, which the steps feed.
 *
 * It decides the same way in `http`, `graphql`, `ws` and `rpc` contexts (docs/transports.md: where
 * each keeps its headers, how each is answered) and denies any other. Over HTTP, with the role
 * cached and synchronous resolvers, it answers synchronously, without a Promise.
 */
@Injectable()
export class MonitePermissionGuard extends MonitePermissionAnswers implements CanActivate {
  protected readonly policies: MoniteRoutePolicies;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly roleCache: MoniteRoleCache,
    protected readonly roleLoader: MoniteRoleLoader,
    protected readonly ownerResolvers: MoniteOwnerResolverRegistry,
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
    @Optional() @Inject(MONITE_AUTH_CLOCK) protected readonly clock: MoniteClock = systemClock,
  ) {
    super();
    this.policies = new MoniteRoutePolicies(reflector);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return this.checkOutsideHttp(context);
    return this.check(context);
  }

  /**
   * The steps, in the order of the decision table. Outside HTTP, `checkOutsideHttp` runs them.
   * A step that answers at once goes straight on: no Promise and no closure on the hot path.
   */
  protected check(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.shouldSkip(context)) return true;
    const requirement = this.getRequirement(context);
    const request = this.getRequest(context);
    const given = this.resolveUser(context);
    if (isPromiseLike(given)) {
      return Promise.resolve(given).then((user) => this.authorize(context, requirement, request, user));
    }
    return this.authorize(context, requirement, request, given);
  }

  /** Once the caller is known: 401 without one, then entity isolation, the role, the decision. */
  protected authorize(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    request: MoniteGuardRequest,
    given: unknown,
  ): boolean | Promise<boolean> {
    const caller = this.identify(context, given);
    this.checkEntityIsolation(context, request, caller.caller);
    const role = this.loadRole(context, caller.caller);
    if (isPromiseLike(role)) {
      return Promise.resolve(role).then((loaded) =>
        this.decide(context, requirement, request, caller, loaded),
      );
    }
    return this.decide(context, requirement, request, caller, role);
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
   * Where this context's request (its headers) is: the HTTP request (Express and Fastify), the
   * GraphQL context's `req`, the WebSocket handshake, the RPC message (docs/transports.md). Any
   * other context is denied, never let through. Override to read another place, e.g. a transport's
   * message headers.
   */
  protected getRequest(context: ExecutionContext): MoniteGuardRequest {
    switch (context.getType<string>()) {
      case 'http':
        // Not switchToHttp(): it allocates closures on every call.
        return context.getArgByIndex<MoniteGuardRequest>(0);
      case 'graphql':
      case 'ws':
      case 'rpc':
        return transportRequestOf(context);
      default:
        return this.throwDenied(context, 'unsupported_context');
    }
  }

  /** The request's `x-monite-entity-id`. */
  protected getEntityHeader(request: MoniteGuardRequest): MoniteEntityHeader {
    return request.headers?.[MONITE_ENTITY_HEADER];
  }

  /**
   * Whatever the `resolveEntityUser` option gives for this request (read by `identify`). A resolver
   * that throws or rejects is logged and reads as nobody (401); its own `HttpException` stands.
   */
  protected resolveUser(context: ExecutionContext): unknown {
    const resolve = this.options.resolveEntityUser;
    if (resolve === undefined) return undefined;
    try {
      const given: unknown = resolve(context);
      return isPromiseLike(given)
        ? Promise.resolve(given).catch((e: unknown) => this.resolverFailed(context, e))
        : given;
    } catch (error) {
      return this.resolverFailed(context, error);
    }
  }

  /** The caller with normalised ids (`readMoniteCaller`); nobody, or an id that is not a UUID: 401. */
  protected identify(context: ExecutionContext, given: unknown): MoniteIdentifiedCaller {
    // A caller spelled exactly as a cached role's ids is canonical already: no scan on the hot path.
    const reading = readMoniteCaller(given, this.roleCache.isCanonical);
    const denied = callerDenial(reading);
    return denied === undefined
      ? (reading as MoniteIdentifiedCaller)
      : this.throwUnauthorized(context, denied.reason);
  }

  /** The caller's entity is fixed by `resolveEntityUser`: an `x-monite-entity-id` naming another one is a 403. */
  protected checkEntityIsolation(
    context: ExecutionContext,
    request: MoniteGuardRequest,
    caller: MoniteCaller,
  ): void {
    if (!entityHeaderMatches(this.getEntityHeader(request), caller.entityId)) {
      this.throwDenied(context, 'entity_mismatch', caller);
    }
  }

  /** The caller's compiled role: from the cache (synchronously), else loaded once. Unknown to Monite: 401; else 503. */
  protected loadRole(context: ExecutionContext, caller: MoniteCaller): CompiledRole | Promise<CompiledRole> {
    return (
      this.roleCache.peek(caller) ??
      this.roleCache
        .getOrLoad(caller, this.roleLoader)
        .catch((error: unknown) =>
          !isMonitePartner(caller) && unknownToMonite(error) !== undefined
            ? this.throwUnauthorized(context, 'unknown_entity_user', caller)
            : this.throwUnavailable(context, 'role_unavailable', caller, error),
        )
    );
  }

  /** The decision table (`decideMoniteAccess`) on what the steps gathered; `allowed_for_own` with a resolver goes on to the owner. */
  protected decide(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    request: MoniteGuardRequest,
    caller: MoniteIdentifiedCaller,
    role: CompiledRole,
  ): boolean | Promise<boolean> {
    // No entity header: isolation is `checkEntityIsolation`'s step, which has passed by now.
    const verdict = decideMoniteAccess(requirement, caller, undefined, role);
    if (verdict.outcome === 'deny') return this.deny(context, verdict, caller.caller);
    const { objectType, action } = requirement;
    const access = createMoniteAccess(caller.caller, objectType, action, verdict.permission, verdict.scope);
    if (verdict.outcome === 'allow') return this.allow(context, request, access, verdict.reason);
    return whenReady(
      this.checkOwner(context, requirement, access),
      (owner) => {
        // `owner_needed` comes only after the partner check: the caller is an entity user.
        const final = ownerVerdict(owner, caller.caller as MoniteEntityUserRef);
        if (final.outcome === 'allow') return this.allow(context, request, access, final.reason);
        return this.deny(context, final, access.caller);
      },
      (error: unknown) => this.ownerFailed(context, caller.caller, error),
    );
  }

  /** The owner of the object the request acts on, within `requestTimeoutMs`. A resolver that throws: see `ownerFailed`. */
  protected checkOwner(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    access: MoniteAccessDecision,
  ): MoniteOwner | Promise<MoniteOwner> {
    let owner: MoniteOwner | PromiseLike<MoniteOwner>;
    try {
      owner = this.resolveOwner(context, requirement, access);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!isPromiseLike(owner)) return owner;
    return withinDeadline(owner, this.options.requestTimeoutMs, this.clock, 'The owner did not resolve');
  }

  /** Runs the route's owner resolver (function or class instance). */
  protected resolveOwner(
    context: ExecutionContext,
    requirement: MoniteRouteRequirement,
    access: MoniteAccessDecision,
  ): MoniteOwner | Promise<MoniteOwner> {
    if (requirement.ownerFunction !== undefined) return requirement.ownerFunction(context, access);
    return this.ownerResolvers.resolveOwner(
      requirement.ownerClass as Type<MoniteOwnerResolver>,
      context,
      access,
    );
  }
}
