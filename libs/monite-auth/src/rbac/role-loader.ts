import { HttpException, Inject, Injectable, Optional, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MoniteClient } from '../client/monite.client.js';
import { MoniteConfigurationError, MoniteHttpException, MoniteNotFoundError } from '../errors/index.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import {
  isMonitePartner,
  moniteAsPartner,
  type MoniteCaller,
  type MoniteEntityUserRef,
  type MonitePartnerCaller,
} from '../monite-identity.js';
import type { MoniteRole, MoniteRoleProvider } from '../monite-role.js';
import { MONITE_AUTH_CLOCK, systemClock, type MoniteClock } from '../tokens/monite-clock.js';
import { compileRole, type CompiledRole } from './compiled-role.js';
import { withinDeadline } from './monite-deadline.js';
import type { MoniteRoleSource } from './role-cache.js';
import { parseMoniteRole } from './role-parser.js';

type RoleFunction = (user: MoniteEntityUserRef) => MoniteRole | Promise<MoniteRole>;
type PartnerRoleFunction = (partner: MonitePartnerCaller) => MoniteRole | Promise<MoniteRole>;

/** What a caller without a role of its own gets: nothing. */
const NO_ROLE: MoniteRole = { permissions: { objects: [] } };

/**
 * Loads a caller's role the way the security model says (DESIGN.md "Security models"):
 * - monite-managed: `GET /entity_users/my_role` with the user's own token (the client picks it);
 * - partner-managed and hybrid: the `roleProvider` option (the partner's ACL), a function or an
 *   injectable class resolved through `ModuleRef`.
 * The partner caller has no role in Monite: it gets one only from a class provider's
 * `getPartnerRole`, else nothing. Whatever the source, the role is validated and compiled, and must
 * arrive within `requestTimeoutMs`. A caller Monite does not know (a `MoniteNotFoundError`, also
 * inside a `MoniteHttpException`) rejects with that `MoniteNotFoundError`. Caching is `MoniteRoleCache`'s job.
 */
@Injectable()
export class MoniteRoleLoader implements MoniteRoleSource, OnModuleInit {
  /** The partner's role function (partner-managed, hybrid), set at module init. */
  protected roleFunction?: RoleFunction;
  /** The partner caller's role, from a class provider's `getPartnerRole`. */
  protected partnerRoleFunction?: PartnerRoleFunction;

  constructor(
    @Inject(MONITE_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMoniteAuthOptions,
    protected readonly moduleRef: ModuleRef,
    @Optional() protected readonly client?: MoniteClient,
    @Optional() @Inject(MONITE_AUTH_CLOCK) protected readonly clock: MoniteClock = systemClock,
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
      const getPartnerRole = instance.getPartnerRole;
      if (typeof getPartnerRole === 'function') {
        this.partnerRoleFunction = (partner) => getPartnerRole.call(instance, partner);
      }
    } else {
      this.roleFunction = roleProvider;
    }
  }

  /**
   * Fetches, validates and compiles the caller's role. Rejects on any failure, malformed role or
   * timeout; with the `MoniteNotFoundError` when Monite does not know the entity user.
   */
  async load(caller: MoniteCaller): Promise<CompiledRole> {
    let raw: unknown;
    try {
      raw = await withinDeadline(
        this.fetchRole(caller),
        this.options.requestTimeoutMs,
        this.clock,
        'The role did not load',
      );
    } catch (error) {
      throw (isMonitePartner(caller) ? undefined : unknownToMonite(error)) ?? error;
    }
    return compileRole(parseMoniteRole(raw));
  }

  /** The raw, unvalidated role for the security model. Providers get a frozen copy of the caller. */
  protected async fetchRole(caller: MoniteCaller): Promise<unknown> {
    if (isMonitePartner(caller)) {
      return this.partnerRoleFunction?.(moniteAsPartner(caller.entityId)) ?? NO_ROLE;
    }
    const user = Object.freeze({ entityUserId: caller.entityUserId, entityId: caller.entityId });
    if (this.options.securityModel !== 'monite-managed') {
      if (!this.roleFunction) throw new MoniteConfigurationError('roleProvider is not resolved yet');
      return this.roleFunction(user);
    }
    if (!this.client) throw new MoniteConfigurationError('securityModel monite-managed needs MoniteClient');
    return this.client.get('/entity_users/my_role', { user });
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

/**
 * The `MoniteNotFoundError` behind a failure, if there is one: Monite answered 404 for the entity
 * user (its token grant, or `my_role`), directly or inside the `MoniteHttpException` of a
 * `MoniteClient` call. Any other failure (5xx, unreachable, garbage, a 422 the library could not
 * attribute to the user) is not the caller's doing.
 */
export function unknownToMonite(error: unknown): MoniteNotFoundError | undefined {
  if (error instanceof MoniteNotFoundError) return error;
  if (error instanceof MoniteHttpException && error.moniteError instanceof MoniteNotFoundError) {
    return error.moniteError;
  }
  if (error instanceof HttpException && error.cause instanceof MoniteNotFoundError) return error.cause;
  return undefined;
}

function isRoleProviderClass(
  provider: NonNullable<ResolvedMoniteAuthOptions['roleProvider']>,
): provider is Type<MoniteRoleProvider> {
  return typeof (provider as { prototype?: { getRole?: unknown } }).prototype?.getRole === 'function';
}
