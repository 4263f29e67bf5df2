import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MoniteAccess, MoniteClient, fromMoniteObject, type MoniteAccessDecision } from 'nestjs-monite-auth';
import { RequiresMonitePermission } from '../common/requires-monite-permission.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import {
  PAYABLE_STATUSES,
  createPayableBody,
  idParam,
  listPayablesQuery,
  noFieldsBody,
  type CreatePayableBody,
  type ListPayablesQuery,
  type Payable,
  type PayableList,
} from './payable.schemas.js';

/** For routes on one payable: with `allowed_for_own`, the guard loads it and compares its creator. */
const PAYABLE_OWNER = fromMoniteObject('payable', { param: 'id' });
const idPipe = new ZodValidationPipe(idParam, 'path', 'id');
const noFields = new ZodValidationPipe(noFieldsBody, 'body');

const payableIdDoc = ApiParam({ name: 'id', format: 'uuid', description: 'Monite payable id' });
const noBodyDoc = ApiBody({ required: false, schema: { type: 'object', additionalProperties: false } });

/**
 * Accounts payable, through Monite. The guard has checked the permission before any handler
 * runs; the handlers call Monite as the user, so Monite checks it again on its side.
 */
@ApiTags('payables')
@Controller('payables')
export class PayablesController {
  constructor(
    private readonly monite: MoniteClient,
    @Inject(DEMO_SETTINGS) private readonly settings: DemoSettings,
  ) {}

  @Get()
  @RequiresMonitePermission('payable', 'read', {
    summary: 'List payables',
    own: 'only the payables you created are listed',
  })
  @ApiQuery({ name: 'status', required: false, enum: PAYABLE_STATUSES })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } })
  @ApiQuery({ name: 'pagination_token', required: false })
  async list(
    @Query(new ZodValidationPipe(listPayablesQuery, 'query')) query: ListPayablesQuery,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<PayableList> {
    const page = await this.monite.get<PayableList>('/payables', { user: access.user, query });
    if (access.scope === 'own') {
      // Monite filters a user token's list itself; a partner token (partner-managed) sees the
      // whole entity, so the own-only scope is applied here as well, whatever the model.
      page.data = page.data.filter((payable) => payable.was_created_by_user_id === access.user.entityUserId);
    }
    return page;
  }

  @Get(':id')
  @RequiresMonitePermission('payable', 'read', {
    summary: 'Read a payable',
    own: 'only a payable you created',
    owner: PAYABLE_OWNER,
  })
  @payableIdDoc
  async get(@Param('id', idPipe) id: string, @MoniteAccess() access: MoniteAccessDecision): Promise<Payable> {
    // With allowed_for_own the guard has loaded the payable already to compare its creator.
    if (isPayable(access.object, id)) return access.object;
    return this.monite.get<Payable>('/payables/{id}', { params: { id }, user: access.user });
  }

  @Post()
  @RequiresMonitePermission('payable', 'create', {
    summary: 'Enter a payable',
    own: 'you may create payables, which are then yours',
  })
  @ApiBody({ schema: z.toJSONSchema(createPayableBody, { target: 'openapi-3.0' }) as object })
  async create(
    @Body(new ZodValidationPipe(createPayableBody, 'body')) body: CreatePayableBody,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<Payable> {
    if (access.scope === 'own' && this.settings.securityModel === 'partner-managed') {
      // A partner-token call records no creator, so the new payable could not be the caller's own.
      throw new ForbiddenException(
        'Monite permission payable.create is allowed only on own objects, which the partner-managed model cannot record',
      );
    }
    return this.monite.post<Payable>('/payables', body, { user: access.user });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequiresMonitePermission('payable', 'approve', {
    summary: 'Approve a payable (new -> waiting_to_be_paid)',
    own: 'only a payable you created',
    owner: PAYABLE_OWNER,
  })
  @payableIdDoc
  @noBodyDoc
  approve(
    @Param('id', idPipe) id: string,
    @Body(noFields) _body: object,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/approve', undefined, {
      params: { id },
      user: access.user,
    });
  }

  @Post(':id/pay')
  @HttpCode(200)
  @RequiresMonitePermission('payable', 'pay', {
    summary: 'Mark a payable as paid (waiting_to_be_paid -> paid)',
    own: 'only a payable you created',
    owner: PAYABLE_OWNER,
  })
  @payableIdDoc
  @noBodyDoc
  pay(
    @Param('id', idPipe) id: string,
    @Body(noFields) _body: object,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/pay', undefined, { params: { id }, user: access.user });
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresMonitePermission('payable', 'delete', {
    summary: 'Delete a payable (draft, new, canceled or rejected)',
    own: 'only a payable you created',
    owner: PAYABLE_OWNER,
  })
  @payableIdDoc
  async remove(@Param('id', idPipe) id: string, @MoniteAccess() access: MoniteAccessDecision): Promise<void> {
    await this.monite.delete('/payables/{id}', { params: { id }, user: access.user });
  }
}

function isPayable(value: unknown, id: string): value is Payable {
  return typeof value === 'object' && value !== null && (value as { id?: unknown }).id === id;
}
