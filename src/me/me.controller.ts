import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  MoniteAccess,
  MoniteClient,
  type MoniteAccessDecision,
  type MoniteOwnerFunction,
  type MoniteRole,
} from 'nestjs-monite-auth';
import { RequiresMonitePermission } from '../common/requires-monite-permission.decorator.js';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import { MoniteRolesRoleProvider } from '../monite/monite-roles.role-provider.js';

/** These routes only ever show the caller's own record and role, so the caller is their owner. */
const CALLER_OWNS_IT: MoniteOwnerFunction = (_context, access) => access.user.entityUserId;

/** Who you are in Monite, and what your role lets you do. */
@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly monite: MoniteClient,
    private readonly roles: MoniteRolesRoleProvider,
    @Inject(DEMO_SETTINGS) private readonly settings: DemoSettings,
  ) {}

  @Get()
  @RequiresMonitePermission('entity_user', 'read', {
    summary: 'Your Monite entity user',
    own: 'your own record (this route shows nothing else)',
    owner: CALLER_OWNS_IT,
  })
  whoAmI(@MoniteAccess() access: MoniteAccessDecision): Promise<unknown> {
    // `/entity_users/me` needs the user's own token, which the partner-managed model does not use.
    if (this.usesPartnerToken) {
      return this.monite.get('/entity_users/{id}', {
        params: { id: access.user.entityUserId },
        user: access.user,
      });
    }
    return this.monite.get('/entity_users/me', { user: access.user });
  }

  @Get('role')
  @RequiresMonitePermission('role', 'read', {
    summary: 'Your Monite role and its permissions',
    own: 'the role you act with (this route shows nothing else)',
    owner: CALLER_OWNS_IT,
  })
  myRole(@MoniteAccess() access: MoniteAccessDecision): Promise<MoniteRole> {
    if (this.usesPartnerToken) return this.roles.getRole(access.user);
    return this.monite.get<MoniteRole>('/entity_users/my_role', { user: access.user });
  }

  private get usesPartnerToken(): boolean {
    return this.settings.securityModel === 'partner-managed';
  }
}
