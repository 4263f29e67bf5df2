/*
 * The MoniteClient examples of libs/monite-auth/README.md and libs/monite-auth/docs/client.md,
 * type-checked by `npm run typecheck` and booted against the emulator by client-readme.e2e.spec.ts.
 * Keep them in step with the pages: each block names where it comes from. The pages' blocks carry
 * their own imports; here they are merged at the top.
 */
import {
  Body,
  Controller,
  Get,
  Injectable,
  Param,
  ParseUUIDPipe,
  Post,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { MoniteClient, moniteAsPartner, type MoniteEntityUserRef } from 'nestjs-monite-auth';

// README "MoniteClient"
/** The entity user your authentication put on the request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ user: MoniteEntityUserRef }>().user,
);

export class CreatePayableDto {
  amount!: number;
  currency!: string;
}

@Controller('payables')
export class PayablesController {
  constructor(private readonly monite: MoniteClient) {}

  @Get()
  list(@CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.get('/payables', { user, query: { limit: 20, status: 'new' } });
  }

  @Get(':id')
  findOne(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.get('/payables/{id}', { params: { id }, user });
  }

  @Post()
  create(@Body() body: CreatePayableDto, @CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.post('/payables', body, { user });
  }

  @Post(':id/approve')
  approve(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: MoniteEntityUserRef) {
    return this.monite.post('/payables/{id}/approve', undefined, { params: { id }, user });
  }
}

// README "MoniteClient": partner calls
@Injectable()
export class PartnerJobs {
  constructor(private readonly monite: MoniteClient) {}

  /** A back-office job: the partner token, on one entity. */
  newPayables(entityId: string) {
    return this.monite.get('/payables', { user: moniteAsPartner(entityId), query: { status: 'new' } });
  }

  /** The same, with the entity named apart. */
  entityUser(entityId: string, entityUserId: string) {
    return this.monite.get('/entity_users/{id}', { params: { id: entityUserId }, entityId, asPartner: true });
  }
}

// docs/client.md "Deadlines and size"
export async function listWithinFiveSeconds(monite: MoniteClient, user: MoniteEntityUserRef) {
  return monite.get('/payables', {
    user,
    // Each attempt ends within 2 s; the whole call, retries and waits included, within 5 s.
    timeoutMs: 2_000,
    signal: AbortSignal.timeout(5_000),
    maxResponseBytes: 1024 * 1024,
  });
}
