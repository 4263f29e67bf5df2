import { Inject, Injectable, Optional, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MoniteClient } from '../client/monite.client.js';
import { MoniteConfigurationError, MoniteUnavailableError } from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { compileRole, type CompiledRole } from './compiled-role.js';
import type { MoniteEntityUserRef } from '../monite-identity.js';
import type { MoniteRole, MoniteRoleProvider } from '../monite-role.js';
import type { MoniteRoleSource } from './role-cache.js';
import { parseMoniteRole } from './role-parser.js';

type RoleFunction = (user: MoniteEntityUserRef) => MoniteRole | Promise<MoniteRole>;

/** A partner-token caller has no entity user, so no role in Monite: it is granted nothing. */
const NO_ROLE: MoniteRole = { permissions: { objects: [] } };

/**
 * Loads a user's role the way the security model says (DESIGN.md "Security models"):
 * - monite-managed: `GET /entity_users/my_role` with the user's own token (the client picks it);
 * - partner-managed and hybrid: the `roleProvider` option (the partner's ACL), a function or an
 *   injectable class resolved through `ModuleRef`.
 * Whatever the source, the role is validated, compiled, and must arrive within `requestTimeoutMs`.
 * Caching is `MoniteRoleCache`'s job.
 */
@Injectable()
export class MoniteRoleLoader implements MoniteRoleSource, OnModuleInit {
  /** The partner's role function (partner-managed, hybrid), set at module init. */
  protected roleFunction?: RoleFunction;

  constructor(
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
    protected readonly moduleRef: ModuleRef,
    @Optional() protected readonly client?: MoniteClient,
  ) {}

  /** Checks the configuration for the security model and resolves a class `roleProvider`. */
  async onModuleInit(): Promise<void> {
    const { securityModel, roleProvider } = this.options;
    if (securityModel === 'monite-managed') {
      if (!this.client) {
        throw new MoniteConfigurationError('securityModel monite-managed needs MoniteClient to fetch roles');
      }
      return;
    }
    if (roleProvider === undefined) {
      throw new MoniteConfigurationError(`roleProvider is required with securityModel ${securityModel}`);
    }
    if (isRoleProviderClass(roleProvider)) {
      const instance = await this.resolveClass(roleProvider);
      this.roleFunction = (user) => instance.getRole(user);
    } else {
      this.roleFunction = roleProvider;
    }
  }

  /** Fetches, validates and compiles the user's role. Rejects on any failure, malformed role or timeout. */
  async load(user: MoniteEntityUserRef): Promise<CompiledRole> {
    const raw = await this.withTimeout(this.fetchRole(user));
    return compileRole(parseMoniteRole(raw));
  }

  /** The raw, unvalidated role for the security model. */
  protected async fetchRole(user: MoniteEntityUserRef): Promise<unknown> {
    if (this.options.securityModel !== 'monite-managed') {
      if (!this.roleFunction) throw new MoniteConfigurationError('roleProvider is not resolved yet');
      return this.roleFunction(user);
    }
    if (!user.entityUserId) return NO_ROLE;
    if (!this.client) throw new MoniteConfigurationError('securityModel monite-managed needs MoniteClient');
    return this.client.get('/entity_users/my_role', { user });
  }

  /** A role that does not come in time is unavailable: the guard fails closed instead of waiting on. */
  protected withTimeout<T>(work: Promise<T>): Promise<T> {
    const ms = this.options.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MoniteUnavailableError(`Role did not load within ${ms} ms`)), ms);
      timer.unref();
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** A registered provider if there is one anywhere in the app, else a new instance with its dependencies. */
  protected async resolveClass(type: Type<MoniteRoleProvider>): Promise<MoniteRoleProvider> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }
}

function isRoleProviderClass(
  provider: NonNullable<ResolvedMoniteAuthOptions['roleProvider']>,
): provider is Type<MoniteRoleProvider> {
  return typeof (provider as { prototype?: { getRole?: unknown } }).prototype?.getRole === 'function';
}
