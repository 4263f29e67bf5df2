import { Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { MoniteConfigurationError } from '../errors/index.js';
import { MonitePermissionMetadata, MonitePublicMetadata } from './monite-permission.decorator.js';
import { isOwnerResolverClass, type MoniteOwnerResolver } from './owner-resolver.js';
import { MoniteOwnerResolverRegistry } from './owner-resolver-registry.js';
import { permissionPairId } from './permission-matrix.js';

/**
 * Checks every `@MonitePermission` in the application against the permission matrix when it starts
 * (controllers and providers such as GraphQL resolvers, class and handler level). A pair the matrix
 * does not have (set through a cast or plain JavaScript), an owner option that is not a function or
 * class, or `@MonitePermission` together with `@MonitePublic` on one target fails the boot with a
 * `MoniteConfigurationError` naming `Controller.handler`. It also resolves every owner resolver class
 * in use, so requests never wait for one.
 *
 * DiscoveryService and MetadataScanner are built here over the global ModulesContainer, so the
 * module needs no DiscoveryModule import and exports nothing extra.
 */
@Injectable()
export class MonitePermissionMetadataValidator implements OnApplicationBootstrap {
  constructor(
    protected readonly modules: ModulesContainer,
    protected readonly reflector: Reflector,
    protected readonly ownerResolvers: MoniteOwnerResolverRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { problems, ownerClasses } = this.scan();
    if (problems.length > 0) {
      throw new MoniteConfigurationError(`Invalid Monite permission metadata: ${problems.join('; ')}`);
    }
    await Promise.all([...ownerClasses].map((type) => this.ownerResolvers.resolve(type)));
  }

  /** Every problem found, and the owner resolver classes in use. */
  scan(): { problems: string[]; ownerClasses: Set<Type<MoniteOwnerResolver>> } {
    const discovery = new DiscoveryService(this.modules);
    const scanner = new MetadataScanner();
    const problems: string[] = [];
    const ownerClasses = new Set<Type<MoniteOwnerResolver>>();
    const seen = new Set<Function>();
    for (const wrapper of [...discovery.getControllers(), ...discovery.getProviders()]) {
      const type = wrapper.metatype;
      // Factory and value providers have no class of their own to decorate.
      if (typeof type !== 'function' || wrapper.inject || seen.has(type)) continue;
      seen.add(type);
      this.check(type, type.name, problems, ownerClasses);
      const prototype = type.prototype as Record<string, unknown> | undefined;
      if (!prototype) continue;
      for (const method of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method];
        if (typeof handler === 'function')
          this.check(handler, `${type.name}.${method}`, problems, ownerClasses);
      }
    }
    return { problems, ownerClasses };
  }

  protected check(
    target: Function,
    where: string,
    problems: string[],
    ownerClasses: Set<Type<MoniteOwnerResolver>>,
  ): void {
    const metadata = this.reflector.get(MonitePermissionMetadata, target) as unknown;
    if (metadata === undefined) return;
    const { objectType, action, owner } = (metadata ?? {}) as Record<string, unknown>;
    if (
      typeof objectType !== 'string' ||
      typeof action !== 'string' ||
      permissionPairId(objectType, action) === -1
    ) {
      problems.push(
        `${where}: ${String(objectType)}.${String(action)} is not in the Monite permission matrix`,
      );
    }
    if (owner !== undefined) {
      if (typeof owner !== 'function') problems.push(`${where}: owner must be a function or a class`);
      else if (isOwnerResolverClass(owner as Type<MoniteOwnerResolver>)) {
        ownerClasses.add(owner as Type<MoniteOwnerResolver>);
      }
    }
    if (this.reflector.get(MonitePublicMetadata, target) === true) {
      problems.push(`${where}: has both @MonitePermission and @MonitePublic`);
    }
  }
}
