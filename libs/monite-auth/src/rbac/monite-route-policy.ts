import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  MonitePermissionMetadata,
  MonitePublicMetadata,
  type MonitePermissionRequirement,
} from './monite-permission.decorator.js';
import {
  isOwnerResolverClass,
  type MoniteOwnerFunction,
  type MoniteOwnerResolver,
} from './owner-resolver.js';
import { permissionPairId, permissionPairName } from './permission-matrix.js';

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

/** The policy of something that is not a route handler: denied. */
export const NO_ROUTE_POLICY: MoniteRoutePolicy = Object.freeze({ isPublic: false, handler: 'unknown' });

interface CachedPolicy {
  type: Function;
  policy: MoniteRoutePolicy;
  /** Other classes served by the same handler (inherited methods), rarely needed. */
  byType?: WeakMap<Function, MoniteRoutePolicy>;
}

/**
 * Route policies, read from the decorators once per handler and class and kept: a request reads
 * one map entry. Handler-level decorators win over class-level ones; on one level
 * `@MonitePermission` wins over `@MonitePublic` (fail closed; the startup validator rejects that
 * combination anyway).
 */
export class MoniteRoutePolicies {
  protected readonly cache = new WeakMap<Function, CachedPolicy>();

  constructor(protected readonly reflector: Reflector) {}

  /** The policy of `type`'s `handler`. */
  get(type: Function, handler: Function): MoniteRoutePolicy {
    const cached = this.cache.get(handler);
    if (cached !== undefined && cached.type === type) return cached.policy;
    const other = cached?.byType?.get(type);
    if (other !== undefined) return other;
    const policy = this.build(type, handler);
    if (cached === undefined) this.cache.set(handler, { type, policy });
    else (cached.byType ??= new WeakMap()).set(type, policy);
    return policy;
  }

  protected build(type: Function, handler: Function): MoniteRoutePolicy {
    const name = `${type?.name ?? 'unknown'}.${handler.name}`;
    for (const target of [handler, type]) {
      if (typeof target !== 'function') continue;
      const permission = this.reflector.get(MonitePermissionMetadata, target);
      if (permission !== undefined) {
        return { isPublic: false, requirement: toRouteRequirement(permission), handler: name };
      }
      if (this.reflector.get(MonitePublicMetadata, target) === true) return { isPublic: true, handler: name };
    }
    return { isPublic: false, handler: name };
  }
}

/** A route's requirement from its `@MonitePermission` metadata. */
export function toRouteRequirement(metadata: MonitePermissionRequirement): MoniteRouteRequirement {
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
