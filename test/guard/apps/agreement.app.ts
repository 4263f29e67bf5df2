/*
 * Scenario app of the agreement test: one controller per owned object type, at the path the
 * library's table of owned types gives (`MONITE_OBJECT_CREATORS`), with one route per action of
 * the library's matrix that Monite serves for that type. Every object route uses the built-in
 * owner resolver (`fromMoniteObject`); lists and creates have none (allowed_for_own passes with
 * scope `own`). Handlers answer with the guard's scope only: every status here is the guard's.
 */
import { Controller, Delete, Get, Module, Patch, Post, UseGuards, type Type } from '@nestjs/common';
import {
  MONITE_OBJECT_CREATORS,
  MoniteAccess,
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  fromMoniteObject,
  type MoniteAccessDecision,
  type MoniteOwnedObjectType,
  type MonitePermissionOptions,
} from 'nestjs-monite-auth';
import { emulatorGuardOptions } from './fixtures.js';

/** One guarded route: an action of the matrix on the collection or on one object. */
export interface AgreementRoute {
  action: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** '' (the collection), ':id', or ':id/approve' style. */
  suffix: string;
  /** Whether the route acts on one object (and so resolves its owner). */
  onObject: boolean;
}

/** The routes of every owned type the agreement test covers. */
export type AgreementRoutes = Record<MoniteOwnedObjectType, AgreementRoute[]>;

/** `@MonitePermission` with the pair chosen at run time (only pairs of the matrix get here). */
const permissionFor = MonitePermission as unknown as (
  objectType: string,
  action: string,
  options?: MonitePermissionOptions,
) => MethodDecorator;

const ROUTE_DECORATORS = { get: Get, post: Post, patch: Patch, delete: Delete } as const;

/** Every handler answers with the guard's scope only. */
const scopeOf = (access: MoniteAccessDecision) => ({ scope: access.scope });

function controllerFor(objectType: MoniteOwnedObjectType, routes: AgreementRoute[]): Type<unknown> {
  const owner = fromMoniteObject(objectType, { param: 'id' });
  class OwnedTypeController {}
  for (const [index, route] of routes.entries()) {
    const name = `${route.action}${route.onObject ? 'One' : 'All'}${index}`;
    // A function of its own per route: Nest keeps route metadata on the handler function.
    const handler = (access: MoniteAccessDecision) => scopeOf(access);
    Object.defineProperty(OwnedTypeController.prototype, name, { value: handler, writable: true });
    const descriptor = Object.getOwnPropertyDescriptor(OwnedTypeController.prototype, name)!;
    MoniteAccess()(OwnedTypeController.prototype, name, 0);
    ROUTE_DECORATORS[route.method](route.suffix)(OwnedTypeController.prototype, name, descriptor);
    permissionFor(objectType, route.action, route.onObject ? { owner } : {})(
      OwnedTypeController.prototype,
      name,
      descriptor,
    );
  }
  Object.defineProperty(OwnedTypeController, 'name', { value: `Agreement(${objectType})` });
  UseGuards(MonitePermissionGuard)(OwnedTypeController);
  Controller(MONITE_OBJECT_CREATORS[objectType].path.slice(1))(OwnedTypeController);
  return OwnedTypeController;
}

/** The app for an emulator at `apiUrl` (monite-managed: roles from `my_role`). */
export function agreementApp(apiUrl: string, routes: AgreementRoutes): Type<unknown> {
  @Module({
    imports: [MoniteAuthModule.forRoot(emulatorGuardOptions(apiUrl))],
    controllers: Object.entries(routes).map(([type, typeRoutes]) =>
      controllerFor(type as MoniteOwnedObjectType, typeRoutes),
    ),
  })
  class AgreementAppModule {}
  return AgreementAppModule;
}
