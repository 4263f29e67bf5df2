/*
 * The examples of libs/monite-auth/docs/permissions.md, type-checked by `npx tsc -p tsconfig.json
 * --noEmit` (and booted by permissions-examples.spec.ts). Keep the two in step: each block below
 * names the section it belongs to. The page's blocks carry their own imports (and import one
 * another by file name); here they share one module, their imports merged at the top.
 */
import {
  Body,
  Controller,
  Get,
  Injectable,
  Logger,
  Module,
  Param,
  Post,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  MoniteAccess,
  MoniteAuthModule,
  MoniteClient,
  MoniteObjectOwner,
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  compileRole,
  decideMoniteAccess,
  fromMoniteObject,
  moniteAsPartner,
  parseMoniteRole,
  readMoniteCaller,
  toRouteRequirement,
  type MoniteAccessDecision,
  type MoniteAccessDecisionEvent,
  type MoniteAccessVerdict,
  type MoniteAuthModuleOptions,
  type MoniteCaller,
  type MoniteEntityUserRef,
  type MoniteOwner,
  type MoniteOwnerResolver,
  type MoniteOwnedObjectType,
  type MonitePartnerCaller,
  type MoniteRole,
  type MoniteRoleProvider,
} from 'nestjs-monite-auth';

// --- "Who is calling": resolveEntityUser --------------------------------------------------------
/** What your authentication put on the request (a session, a JWT guard, ...). */
export interface AppRequest {
  user?: { moniteEntityUserId?: string; moniteEntityId: string };
  params?: Record<string, string>;
}

export function entityUserOfRequest(context: ExecutionContext): MoniteCaller | undefined {
  const { user } = context.switchToHttp().getRequest<AppRequest>();
  if (user === undefined) return undefined;
  // A back-office session acting for the partner on one entity: not an entity user.
  if (user.moniteEntityUserId === undefined) return moniteAsPartner(user.moniteEntityId);
  return { entityUserId: user.moniteEntityUserId, entityId: user.moniteEntityId };
}

// --- "Decorators" and "The guard": per controller ------------------------------------------------
/** A payable as Monite returns it: the fields used here. */
export interface Payable {
  id: string;
  status: string;
  was_created_by_user_id: string | null;
}

@Controller('payables')
@UseGuards(MonitePermissionGuard)
export class PayablesController {
  constructor(private readonly monite: MoniteClient) {}

  /** Declared before `:id` so that the path is not taken for an id. */
  @Get('health')
  @MonitePublic()
  health(): { ok: true } {
    return { ok: true };
  }

  /** allowed: every payable; allowed_for_own: the guard passes with scope `own`, the handler filters. */
  @Get()
  @MonitePermission('payable', 'read')
  async list(@MoniteAccess() access: MoniteAccessDecision): Promise<Payable[]> {
    const page = await this.monite.get<{ data: Payable[] }>('/payables', { user: access.user });
    return access.scope === 'own'
      ? page.data.filter((p) => p.was_created_by_user_id === access.user.entityUserId)
      : page.data;
  }

  /** allowed_for_own: the built-in resolver loads the payable and compares its creator to the caller. */
  @Get(':id')
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable', { param: 'id' }) })
  get(@MoniteAccess() access: MoniteAccessDecision): Payable {
    // Loaded once by the owner resolver, handed over here: no second call to Monite.
    return access.object as Payable;
  }

  @Post(':id/approve')
  @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable') })
  approve(@Param('id') id: string, @MoniteAccess() access: MoniteAccessDecision): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/approve', undefined, {
      params: { id },
      user: access.user,
    });
  }
}

// --- "Security models": monite-managed (the default) -----------------------------------------------
export const moniteManagedOptions: MoniteAuthModuleOptions = {
  clientId: process.env.MONITE_CLIENT_ID ?? '',
  clientSecret: process.env.MONITE_CLIENT_SECRET ?? '',
  environment: 'sandbox',
  // Roles come from GET /entity_users/my_role with each user's own token.
  securityModel: 'monite-managed',
  resolveEntityUser: entityUserOfRequest,
  roleCacheTtlMs: 30_000,
};

@Module({
  imports: [MoniteAuthModule.forRoot(moniteManagedOptions)],
  controllers: [PayablesController],
})
export class MoniteManagedAppModule {}

// --- "Security models": partner-managed with a role function ---------------------------------------
/** A role of your own ACL, in Monite's shape. */
const READ_ONLY: MoniteRole = {
  permissions: {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
  },
};

export const partnerManagedOptions: MoniteAuthModuleOptions = {
  clientId: process.env.MONITE_CLIENT_ID ?? '',
  clientSecret: process.env.MONITE_CLIENT_SECRET ?? '',
  securityModel: 'partner-managed',
  resolveEntityUser: entityUserOfRequest,
  roleProvider: async (user: MoniteEntityUserRef): Promise<MoniteRole> => {
    // e.g. look the user up in the app's database; here everybody may only read.
    void user;
    return READ_ONLY;
  },
};

// --- "Security models": hybrid with an injectable role provider class -----------------------------
/** Your ACL: the roles your app gives (a database, a policy service; here, in memory). */
@Injectable()
export class AclService {
  readonly roles = new Map<string, MoniteRole>();

  async roleOf(entityUserId: string): Promise<MoniteRole> {
    return this.roles.get(entityUserId) ?? { permissions: { objects: [] } };
  }

  async partnerRoleOn(entityId: string): Promise<MoniteRole> {
    return this.roles.get(`partner on ${entityId}`) ?? { permissions: { objects: [] } };
  }
}

@Injectable()
export class AclRoleProvider implements MoniteRoleProvider {
  constructor(private readonly acl: AclService) {}

  /** Only ever called for entity users. */
  getRole(user: MoniteEntityUserRef): Promise<MoniteRole> {
    return this.acl.roleOf(user.entityUserId);
  }

  /** The partner caller's role, granted on purpose. Leave this method out to grant the partner nothing. */
  getPartnerRole(partner: MonitePartnerCaller): Promise<MoniteRole> {
    return this.acl.partnerRoleOn(partner.entityId);
  }
}

@Module({ providers: [AclService, AclRoleProvider], exports: [AclService, AclRoleProvider] })
export class AclModule {}

@Module({
  imports: [
    AclModule,
    MoniteAuthModule.forRootAsync({
      useFactory: (): MoniteAuthModuleOptions => ({
        clientId: process.env.MONITE_CLIENT_ID ?? '',
        clientSecret: process.env.MONITE_CLIENT_SECRET ?? '',
        securityModel: 'hybrid',
        resolveEntityUser: entityUserOfRequest,
        roleProvider: AclRoleProvider,
      }),
    }),
  ],
  controllers: [PayablesController],
})
export class HybridAppModule {}

// --- "The guard": for the whole app (APP_GUARD) -------------------------------------------------
@Module({
  imports: [MoniteAuthModule.forRoot(moniteManagedOptions)],
  controllers: [PayablesController],
  // Every route of the app now needs @MonitePermission or @MonitePublic; anything else is a 403.
  providers: [{ provide: APP_GUARD, useClass: MonitePermissionGuard }],
})
export class GlobalGuardAppModule {}

// --- "Owner resolvers": a function ----------------------------------------------------------------
/** Your own copy of who created what (object id to entity user id), kept without Monite. */
const localCreators = new Map<string, string>();

export const ownerFromLocalCopy = (context: ExecutionContext, access: MoniteAccessDecision): MoniteOwner => {
  const id = context.switchToHttp().getRequest<AppRequest>().params?.['id'];
  void access;
  return id === undefined ? undefined : localCreators.get(id);
};

// --- "Owner resolvers": an injectable class -----------------------------------------------------
@Injectable()
export class CounterpartOwner implements MoniteOwnerResolver {
  constructor(private readonly monite: MoniteClient) {}

  async resolveOwner(context: ExecutionContext, access: MoniteAccessDecision): Promise<MoniteOwner> {
    const id = context.switchToHttp().getRequest<AppRequest>().params?.['id'];
    if (id === undefined) return undefined; // no object named: owner unknown, so denied
    // The partner token, scoped to the caller's entity: a caller allowed only its own objects may
    // not be allowed to read another's, and the guard must still tell the two apart.
    const counterpart = await this.monite.get<{ created_by_entity_user_id?: string }>('/counterparts/{id}', {
      params: { id },
      entityId: access.user.entityId,
      asPartner: true,
    });
    access.object = counterpart;
    return counterpart.created_by_entity_user_id;
  }
}

// --- "Owner resolvers": the built-in one, reading the id from the body -----------------------------
@Injectable()
export class PayableOwnerFromBody extends MoniteObjectOwner {
  protected readonly objectType: MoniteOwnedObjectType = 'payable';

  protected override getObjectId(context: ExecutionContext): unknown {
    return context.switchToHttp().getRequest<{ body?: { payable_id?: unknown } }>().body?.payable_id;
  }
}

@Controller('counterparts')
@UseGuards(MonitePermissionGuard)
export class OwnersController {
  @Post(':id')
  @MonitePermission('counterpart', 'update', { owner: CounterpartOwner })
  update(@Body() body: unknown): unknown {
    return body;
  }

  @Get(':id/local')
  @MonitePermission('counterpart', 'read', { owner: ownerFromLocalCopy })
  read(): string {
    return 'ok';
  }

  @Post('pay')
  @MonitePermission('payable', 'pay', { owner: PayableOwnerFromBody })
  pay(): string {
    return 'ok';
  }
}

// --- "The decision as a function": an access review outside any request ------------------------
/** What `role` lets an entity user do with `payable.approve`, decided as the guard would. */
export function reviewApprove(role: unknown): MoniteAccessVerdict {
  const requirement = toRouteRequirement({ objectType: 'payable', action: 'approve' });
  const caller = readMoniteCaller({
    entityUserId: '00000000-0000-4000-8000-000000000001',
    entityId: '00000000-0000-4000-8000-0000000000e1',
  });
  // { outcome: 'allow', scope: 'all' | 'own', ... } or { outcome: 'deny', reason, status }.
  return decideMoniteAccess(requirement, caller, undefined, compileRole(parseMoniteRole(role)));
}

// --- "Audit hook" -------------------------------------------------------------------------------
const audit = new Logger('MoniteAccess');

export const auditedOptions: MoniteAuthModuleOptions = {
  ...moniteManagedOptions,
  hooks: {
    onAccessDecision: (event: MoniteAccessDecisionEvent) => {
      const { allowed, reason, entityUserId, entityId, objectType, action, handler } = event;
      audit.log(
        `${allowed ? 'ALLOW' : 'DENY'} ${objectType}.${action} user=${entityUserId ?? '-'} entity=${entityId ?? '-'} reason=${reason} at ${handler}`,
      );
    },
  },
};
