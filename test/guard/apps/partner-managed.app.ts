/*
 * Scenario app: partner-managed security model, a function role provider (the partner's ACL, no
 * Monite call), `@UseGuards(MonitePermissionGuard)` per controller, a function owner resolver.
 */
import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  Module,
  Param,
  Patch,
  Post,
  UseGuards,
  type Provider,
  type Type,
} from '@nestjs/common';
import {
  MoniteAccess,
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  type MoniteAccessDecision,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { ownerFrom, roleOf, seedPayables, userFromHeaders, type TestPayable } from './fixtures.js';

/** What a handler shows of the decision (the user and the permission it was given). */
function view(access: MoniteAccessDecision) {
  const { user, objectType, action, permission, scope } = access;
  return { user, objectType, action, permission, scope };
}

/** `providers`: extra providers of the app module (e.g. an app's own guard subclass). */
export function partnerManagedApp(
  options: Partial<MoniteAuthModuleOptions> = {},
  providers: Provider[] = [],
): Type<unknown> {
  const payables = seedPayables();
  const owner = ownerFrom(payables);

  @Controller('payables')
  @UseGuards(MonitePermissionGuard)
  class PayablesController {
    /** 35: with scope own the handler filters the list to the caller's payables. */
    @Get()
    @MonitePermission('payable', 'read')
    list(@MoniteAccess() access: MoniteAccessDecision): { access: unknown; items: TestPayable[] } {
      const items = [...payables.values()];
      return {
        access: view(access),
        items: access.scope === 'own' ? items.filter((p) => p.createdBy === access.user.entityUserId) : items,
      };
    }

    /** 32: no @MonitePermission, not public. */
    @Get('unguarded')
    unguarded(): string {
      return 'nobody should read this';
    }

    @Get('health')
    @MonitePublic()
    health(@MoniteAccess() access: MoniteAccessDecision | undefined): { ok: true; access: unknown } {
      return { ok: true, access: access ?? null };
    }

    /** 35: with scope own the created payable belongs to the caller, whatever the body says. */
    @Post()
    @MonitePermission('payable', 'create')
    create(
      @Body() body: { createdBy?: string; amount: number },
      @MoniteAccess() access: MoniteAccessDecision,
    ) {
      const createdBy =
        access.scope === 'own' ? access.user.entityUserId : (body.createdBy ?? access.user.entityUserId);
      const payable = { id: `new-${payables.size}`, createdBy, amount: body.amount };
      payables.set(payable.id, payable);
      return payable;
    }

    /** 35: with scope own every id of a batch is checked before anything is done. */
    @Post('batch/approve')
    @MonitePermission('payable', 'approve')
    approveMany(@Body() body: { ids: string[] }, @MoniteAccess() access: MoniteAccessDecision) {
      if (access.scope === 'own') {
        const foreign = body.ids.filter((id) => payables.get(id)?.createdBy !== access.user.entityUserId);
        if (foreign.length > 0) throw new ForbiddenException(`Not your payables: ${foreign.join(', ')}`);
      }
      return { approved: body.ids };
    }

    @Get(':id')
    @MonitePermission('payable', 'read', { owner })
    get(@Param('id') id: string, @MoniteAccess() access: MoniteAccessDecision) {
      return { id, access: view(access), object: access.object ?? null };
    }

    @Post(':id/approve')
    @MonitePermission('payable', 'approve', { owner })
    approve(@Param('id') id: string) {
      return { approved: id };
    }

    @Patch(':id')
    @MonitePermission('payable', 'update', { owner })
    update(@Param('id') id: string) {
      return { updated: id };
    }

    @Delete(':id')
    @MonitePermission('payable', 'delete', { owner })
    remove(@Param('id') id: string) {
      return { deleted: id };
    }
  }

  /** Class-level permission, a handler-level override and a public handler: handler wins. */
  @Controller('roles')
  @UseGuards(MonitePermissionGuard)
  @MonitePermission('role', 'read')
  class RolesController {
    @Get()
    list(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Post()
    @MonitePermission('role', 'create')
    create() {
      return { created: true };
    }

    @Get('public')
    @MonitePublic()
    open() {
      return { open: true };
    }
  }

  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: 'guard-e2e-client',
        clientSecret: 'guard-e2e-secret',
        // Never contacted: in this model roles come from the partner's function.
        apiUrl: 'http://127.0.0.1:9/v1',
        securityModel: 'partner-managed',
        roleProvider: roleOf,
        resolveEntityUser: userFromHeaders,
        ...options,
      }),
    ],
    controllers: [PayablesController, RolesController],
    providers,
  })
  class PartnerManagedAppModule {}

  return PartnerManagedAppModule;
}
