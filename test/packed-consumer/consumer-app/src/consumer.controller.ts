import { Controller, Get, Param, Post } from '@nestjs/common';
import {
  fromMoniteObject,
  MoniteAccess,
  MoniteClient,
  MonitePermission,
  MonitePublic,
  MoniteTokenService,
  type MoniteAccessDecision,
} from 'nestjs-monite-auth';

interface Payable {
  id: string;
  was_created_by_user_id: string | null;
}

/** Routes of each kind the library serves: public, guarded, own-only with and without an owner check. */
@Controller()
export class ConsumerController {
  /** Calls that reached the approve handler: a denied call must leave it unchanged. */
  private approveCalls = 0;

  constructor(
    private readonly monite: MoniteClient,
    private readonly tokens: MoniteTokenService,
  ) {}

  @Get('health')
  @MonitePublic()
  health(): { ok: true; approveCalls: number } {
    return { ok: true, approveCalls: this.approveCalls };
  }

  /** The partner token's shape, never the token itself. */
  @Get('partner-token')
  @MonitePublic()
  async partnerToken(): Promise<{ tokenType: string; expiresAt: number }> {
    const token = await this.tokens.getPartnerToken();
    return { tokenType: token.tokenType, expiresAt: token.expiresAt };
  }

  /** Monite says whose entity-user token the client sent. */
  @Get('me')
  @MonitePermission('entity_user', 'read')
  me(@MoniteAccess() access: MoniteAccessDecision): Promise<{ id: string }> {
    return this.monite.get<{ id: string }>('/entity_users/me', { user: access.user });
  }

  /** allowed_for_own without an owner check: the handler applies the scope. */
  @Get('payables')
  @MonitePermission('payable', 'read')
  async list(@MoniteAccess() access: MoniteAccessDecision): Promise<Payable[]> {
    const page = await this.monite.get<{ data: Payable[] }>('/payables', { user: access.user });
    return access.scope === 'own'
      ? page.data.filter((payable) => payable.was_created_by_user_id === access.user.entityUserId)
      : page.data;
  }

  /** allowed_for_own with the guard comparing the payable's creator. */
  @Get('payables/:id')
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable') })
  one(@MoniteAccess() access: MoniteAccessDecision): unknown {
    return access.object;
  }

  @Post('payables/:id/approve')
  @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable') })
  approve(@Param('id') id: string, @MoniteAccess() access: MoniteAccessDecision): Promise<Payable> {
    this.approveCalls += 1;
    return this.monite.post<Payable>(`/payables/${id}/approve`, undefined, { user: access.user });
  }
}
