/*
 * Scenario app: the guard for the whole app (`APP_GUARD`), a class role provider (the partner's
 * ACL as an injectable service) and a class owner resolver with its own dependency.
 */
import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  type MoniteAccessDecision,
  type MoniteAuthModuleOptions,
  type MoniteEntityUserRef,
  type MoniteOwnerResolver,
  type MoniteRole,
  type MoniteRoleProvider,
} from 'nestjs-monite-auth';
import { PARTNER_ROLE, roleOf, seedPayables, userFromHeaders } from './fixtures.js';

/** The partner's own ACL service, which the role provider class injects. Counts lookups. */
@Injectable()
export class PartnerAcl {
  lookups = 0;
  roleOf(user: MoniteEntityUserRef): Promise<MoniteRole> {
    this.lookups += 1;
    return roleOf(user);
  }
}

@Injectable()
export class AclRoleProvider implements MoniteRoleProvider {
  constructor(private readonly acl: PartnerAcl) {}
  getRole(user: MoniteEntityUserRef): Promise<MoniteRole> {
    return this.acl.roleOf(user);
  }
  /** The partner caller's role: granted here on purpose, never through `getRole`. */
  getPartnerRole(): MoniteRole {
    return PARTNER_ROLE;
  }
}

@Injectable()
export class PayableStore {
  readonly payables = seedPayables();
}

@Injectable()
export class PayableOwner implements MoniteOwnerResolver {
  constructor(private readonly store: PayableStore) {}
  resolveOwner(context: ExecutionContext, access: MoniteAccessDecision): string | null | undefined {
    const id = context.switchToHttp().getRequest<{ params: { id: string } }>().params.id;
    access.object = this.store.payables.get(id);
    return this.store.payables.get(id)?.createdBy;
  }
}

@Controller('payables')
class PayablesController {
  @Get('health')
  @MonitePublic()
  health() {
    return { ok: true };
  }

  /** 32: under a global guard, a route without metadata is a 403 too. */
  @Get('unguarded')
  unguarded() {
    return 'nobody should read this';
  }

  @Get(':id')
  @MonitePermission('payable', 'read', { owner: PayableOwner })
  get(@Param('id') id: string) {
    return { id };
  }

  @Post(':id/approve')
  @MonitePermission('payable', 'approve', { owner: PayableOwner })
  approve(@Param('id') id: string) {
    return { approved: id };
  }
}

/** A controller whose author forgot the guard's decorators altogether. */
@Controller('reports')
class ReportsController {
  @Get()
  list() {
    return ['nobody should read this'];
  }
}

export function globalGuardApp(options: Partial<MoniteAuthModuleOptions> = {}): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: 'guard-e2e-client',
        clientSecret: 'guard-e2e-secret',
        apiUrl: 'http://127.0.0.1:9/v1',
        securityModel: 'hybrid',
        roleProvider: AclRoleProvider,
        resolveEntityUser: userFromHeaders,
        ...options,
      }),
    ],
    controllers: [PayablesController, ReportsController],
    providers: [
      PartnerAcl,
      AclRoleProvider,
      PayableStore,
      PayableOwner,
      { provide: APP_GUARD, useClass: MonitePermissionGuard },
    ],
  })
  class GlobalGuardAppModule {}
  return GlobalGuardAppModule;
}
