/*
 * Scenario app: the monite-managed security model against the emulator. Roles come from
 * `GET /v1/entity_users/my_role` with each user's own token; `allowed_for_own` routes use the
 * built-in owner resolver (`fromMoniteObject`), which loads the payable from Monite. Handlers do not
 * call Monite themselves: every answer here is the guard's decision (and the object it loaded).
 */
import { Controller, Delete, Get, Module, Param, Patch, Post, UseGuards, type Type } from '@nestjs/common';
import {
  MoniteAccess,
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  fromMoniteObject,
  type MoniteAccessDecision,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { emulatorGuardOptions } from './fixtures.js';

const payableOwner = fromMoniteObject('payable', { param: 'id' });

/** What a handler shows of the decision. */
function view(access: MoniteAccessDecision) {
  const { user, objectType, action, permission, scope, object } = access;
  return { user, objectType, action, permission, scope, object: object ?? null };
}

/** The app for an emulator at `apiUrl`; `options` override the defaults (e.g. the role TTL). */
export function moniteManagedApp(
  apiUrl: string,
  options: Partial<MoniteAuthModuleOptions> = {},
): Type<unknown> {
  @Controller('payables')
  @UseGuards(MonitePermissionGuard)
  class PayablesController {
    @Get()
    @MonitePermission('payable', 'read')
    list(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Post()
    @MonitePermission('payable', 'create')
    create(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Get(':id')
    @MonitePermission('payable', 'read', { owner: payableOwner })
    get(@Param('id') id: string, @MoniteAccess() access: MoniteAccessDecision) {
      return { id, ...view(access) };
    }

    @Patch(':id')
    @MonitePermission('payable', 'update', { owner: payableOwner })
    update(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Delete(':id')
    @MonitePermission('payable', 'delete', { owner: payableOwner })
    remove(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Post(':id/approve')
    @MonitePermission('payable', 'approve', { owner: payableOwner })
    approve(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }

    @Post(':id/pay')
    @MonitePermission('payable', 'pay', { owner: payableOwner })
    pay(@MoniteAccess() access: MoniteAccessDecision) {
      return view(access);
    }
  }

  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        ...emulatorGuardOptions(apiUrl),
        ...options,
      }),
    ],
    controllers: [PayablesController],
  })
  class MoniteManagedAppModule {}

  return MoniteManagedAppModule;
}
