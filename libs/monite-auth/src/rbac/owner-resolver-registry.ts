import { Injectable, type ExecutionContext, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { MoniteAccessDecision } from './monite-access.decorator.js';
import type { MoniteOwner, MoniteOwnerResolver } from './owner-resolver.js';

/**
 * Instances of owner resolver classes, one per class for the whole app. A class registered as a
 * provider in any module is taken from there; otherwise it is created once with its dependencies
 * resolved from MoniteAuthModule (so it can inject `MoniteClient`). The startup validator resolves
 * every class in use, so at request time this is a synchronous map read.
 */
@Injectable()
export class MoniteOwnerResolverRegistry {
  protected readonly instances = new Map<Type<MoniteOwnerResolver>, MoniteOwnerResolver>();
  protected readonly pending = new Map<Type<MoniteOwnerResolver>, Promise<MoniteOwnerResolver>>();

  constructor(protected readonly moduleRef: ModuleRef) {}

  /** The instance if it is resolved already. */
  get(type: Type<MoniteOwnerResolver>): MoniteOwnerResolver | undefined {
    return this.instances.get(type);
  }

  /** Runs the class's resolver; synchronously (no Promise of ours) once the instance is resolved. */
  resolveOwner(
    type: Type<MoniteOwnerResolver>,
    context: ExecutionContext,
    access: MoniteAccessDecision,
  ): MoniteOwner | Promise<MoniteOwner> {
    const resolver = this.instances.get(type);
    return resolver !== undefined
      ? resolver.resolveOwner(context, access)
      : this.resolve(type).then((created) => created.resolveOwner(context, access));
  }

  /** The instance, resolving it on first use (one resolution per class however many callers). */
  resolve(type: Type<MoniteOwnerResolver>): Promise<MoniteOwnerResolver> {
    const instance = this.instances.get(type);
    if (instance !== undefined) return Promise.resolve(instance);
    let pending = this.pending.get(type);
    if (pending === undefined) {
      pending = this.create(type).then(
        (created) => {
          this.instances.set(type, created);
          this.pending.delete(type);
          return created;
        },
        (error: unknown) => {
          this.pending.delete(type);
          throw error;
        },
      );
      this.pending.set(type, pending);
    }
    return pending;
  }

  protected async create(type: Type<MoniteOwnerResolver>): Promise<MoniteOwnerResolver> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }
}
