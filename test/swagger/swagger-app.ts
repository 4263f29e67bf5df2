/*
 * The app whose OpenAPI document the Swagger suite reads: public, guarded and own-only routes,
 * decorated on the handler and on the class, with the guard for the whole app (APP_GUARD) and
 * roles from a partner's ACL (partner-managed model: no Monite call at all).
 */
import { Controller, Get, Module, Post, type ExecutionContext, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiForbiddenResponse, ApiOperation } from '@nestjs/swagger';
import {
  fromMoniteObject,
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  type MoniteEntityUserRef,
  type MoniteOwner,
  type MoniteRole,
} from 'nestjs-monite-auth';

export const ENTITY = '11111111-1111-4111-8111-111111111111';
/** An entity user whose role grants nothing: every guarded route answers 403 naming its permission. */
export const POWERLESS_USER = 'a0000000-0000-4000-8000-0000000000ff';

/** A named owner function: its name is what the description shows. */
export function ownerOfApproval(): MoniteOwner {
  return undefined;
}

@Controller('payables')
export class PayablesController {
  @Get('health')
  @MonitePublic()
  health() {
    return { ok: true };
  }

  /** allowed_for_own without an owner: the handler applies the scope. */
  @Get()
  @MonitePermission('payable', 'read')
  list() {
    return [];
  }

  /** allowed_for_own with the built-in owner resolver. */
  @Get(':id')
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable') })
  one() {
    return {};
  }

  /** The app's own summary, description and 403 stay; the guard's text comes after its own. */
  @Post(':id/approve')
  @ApiOperation({ summary: 'Approve a payable', description: 'Moves the payable on to payment.' })
  @ApiForbiddenResponse({ description: 'Refused: the app documents its own 403' })
  @MonitePermission('payable', 'approve', { owner: ownerOfApproval })
  approve() {
    return {};
  }
}

/** Class-level permission, a handler that overrides it, and a public handler. */
@Controller('roles')
@MonitePermission('role', 'read')
export class RolesController {
  @Get()
  list() {
    return [];
  }

  @Post()
  @MonitePermission('role', 'create')
  create() {
    return {};
  }

  @Get('public')
  @MonitePublic()
  open() {
    return { open: true };
  }
}

/** Public as a whole. */
@Controller('status')
@MonitePublic()
export class StatusController {
  @Get()
  status() {
    return { up: true };
  }
}

/** Neither decorator: the guard denies it (403), and the document claims no permission for it. */
@Controller('bare')
export class BareController {
  @Get()
  bare() {
    return 'nobody should read this';
  }
}

function callerOf(context: ExecutionContext): MoniteEntityUserRef | undefined {
  const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
  const entityUserId = headers['x-test-user'];
  return entityUserId === undefined ? undefined : { entityUserId, entityId: ENTITY };
}

const NO_PERMISSIONS: MoniteRole = { name: 'nothing', permissions: { objects: [] } };

/** The app module over the given controllers, the guard global. */
export function swaggerAppModule(controllers: Type<unknown>[]): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: 'swagger-suite',
        clientSecret: 'swagger-suite-secret',
        // Never called: the partner's ACL gives the roles, and no handler calls Monite.
        apiUrl: 'http://127.0.0.1:9/v1',
        securityModel: 'partner-managed',
        roleProvider: () => NO_PERMISSIONS,
        resolveEntityUser: callerOf,
      }),
    ],
    controllers,
    providers: [{ provide: APP_GUARD, useClass: MonitePermissionGuard }],
  })
  class SwaggerAppModule {}
  return SwaggerAppModule;
}

export const SWAGGER_APP_CONTROLLERS = [
  PayablesController,
  RolesController,
  StatusController,
  BareController,
];

/** How a route or its class is decorated, in the combinations the suite crosses. */
export const DECORATIONS = ['none', 'public', 'permission'] as const;
export type Decoration = (typeof DECORATIONS)[number];

/**
 * One controller per (handler, class) decoration pair, at `/combo/<handler>-<class>`: the handler's
 * permission is `payable.approve`, the class's `role.read`.
 */
export function comboControllers(): Type<unknown>[] {
  const controllers: Type<unknown>[] = [];
  for (const onHandler of DECORATIONS) {
    for (const onClass of DECORATIONS) {
      class Combo {
        handle() {
          return { ok: true };
        }
      }
      const descriptor = Object.getOwnPropertyDescriptor(Combo.prototype, 'handle')!;
      Get()(Combo.prototype, 'handle', descriptor);
      if (onHandler === 'public') MonitePublic()(Combo.prototype, 'handle', descriptor);
      if (onHandler === 'permission')
        MonitePermission('payable', 'approve')(Combo.prototype, 'handle', descriptor);
      if (onClass === 'public') MonitePublic()(Combo);
      if (onClass === 'permission') MonitePermission('role', 'read')(Combo);
      Controller(`combo/${onHandler}-${onClass}`)(Combo);
      Object.defineProperty(Combo, 'name', { value: `Combo_${onHandler}_${onClass}` });
      controllers.push(Combo);
    }
  }
  return controllers;
}
