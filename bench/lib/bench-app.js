/*
 * One Nest app with one trivial route per guard variant, on Express or Fastify:
 *   GET /bench/none     no guard
 *   GET /bench/trivial  a guard that only reads the route's metadata with the Reflector (the floor)
 *   GET /bench/ours     MonitePermissionGuard, @MonitePermission('payable', 'read'), role cached
 *   GET /bench/casl     a CASL guard doing the same check, abilities cached per user
 * Plain JavaScript has no decorator syntax, so decorators are applied with Reflect.decorate.
 */
import 'reflect-metadata';
import { createMongoAbility } from '@casl/ability';
import {
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Injectable,
  Module,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MoniteAuthModule, MonitePermission, MonitePermissionGuard } from 'nestjs-monite-auth';
import { BENCH_ROLE, ME, caslRulesFor } from './bench-role.js';

export const VARIANTS = ['none', 'trivial', 'ours', 'casl'];
export const ADAPTERS = ['express', 'fastify'];
export const ENTITY_ID = 'e0000000-0000-4000-8000-000000000001';
/** Headers of every bench request: who the caller is (standing in for the app's own authentication). */
export const CALLER_HEADERS = { 'x-entity-user-id': ME, 'x-entity-id': ENTITY_ID };

/** The app's authentication, shared by our guard (resolveEntityUser) and the CASL guard. */
export function userOf(request) {
  const entityUserId = request.headers['x-entity-user-id'];
  return entityUserId === undefined ? undefined : { entityUserId, entityId: request.headers['x-entity-id'] };
}

function decorateMethod(type, method, decorators) {
  Reflect.decorate(
    decorators,
    type.prototype,
    method,
    Object.getOwnPropertyDescriptor(type.prototype, method),
  );
}

/** Route tag read by the trivial guard. */
export const BenchRoute = Reflector.createDecorator();
/** What the CASL guard checks on a route: `{ action, subject }`. */
export const CaslCheck = Reflector.createDecorator();

/** The floor: what Nest charges for running any guard that reads route metadata. */
export class TrivialGuard {
  constructor(reflector) {
    this.reflector = reflector;
  }
  canActivate(context) {
    return this.reflector.get(BenchRoute, context.getHandler()) !== undefined;
  }
}
Reflect.decorate([Injectable()], TrivialGuard);
Inject(Reflector)(TrivialGuard, undefined, 0);

/** CASL abilities per entity user, built once (the CASL counterpart of our role cache). */
export class CaslAbilities {
  constructor() {
    this.byUser = new Map();
  }
  forUser(user) {
    let ability = this.byUser.get(user.entityUserId);
    if (ability === undefined) {
      ability = createMongoAbility(caslRulesFor(user.entityUserId));
      this.byUser.set(user.entityUserId, ability);
    }
    return ability;
  }
}
Reflect.decorate([Injectable()], CaslAbilities);

/** The way a CASL user writes the same guard: metadata, caller, ability, one check. */
export class CaslGuard {
  constructor(reflector, abilities) {
    this.reflector = reflector;
    this.abilities = abilities;
  }
  canActivate(context) {
    const check = this.reflector.get(CaslCheck, context.getHandler());
    if (check === undefined) throw new ForbiddenException();
    const user = userOf(context.switchToHttp().getRequest());
    if (user === undefined) throw new UnauthorizedException();
    if (!this.abilities.forUser(user).can(check.action, check.subject)) throw new ForbiddenException();
    return true;
  }
}
Reflect.decorate([Injectable()], CaslGuard);
Inject(Reflector)(CaslGuard, undefined, 0);
Inject(CaslAbilities)(CaslGuard, undefined, 1);

const BODY = { ok: true };

export class BenchController {
  none() {
    return BODY;
  }
  trivial() {
    return BODY;
  }
  ours() {
    return BODY;
  }
  casl() {
    return BODY;
  }
}
Reflect.decorate([Controller('bench')], BenchController);
decorateMethod(BenchController, 'none', [Get('none')]);
decorateMethod(BenchController, 'trivial', [Get('trivial'), UseGuards(TrivialGuard), BenchRoute('trivial')]);
decorateMethod(BenchController, 'ours', [
  Get('ours'),
  UseGuards(MonitePermissionGuard),
  MonitePermission('payable', 'read'),
]);
decorateMethod(BenchController, 'casl', [
  Get('casl'),
  UseGuards(CaslGuard),
  CaslCheck({ action: 'read', subject: 'payable' }),
]);

export class BenchAppModule {}
Reflect.decorate(
  [
    Module({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: 'bench-client',
          clientSecret: 'bench-secret',
          // Never contacted: in the partner-managed model roles come from the partner's function.
          apiUrl: 'http://127.0.0.1:9/v1',
          securityModel: 'partner-managed',
          roleProvider: () => BENCH_ROLE,
          resolveEntityUser: (context) => userOf(context.switchToHttp().getRequest()),
        }),
      ],
      controllers: [BenchController],
      providers: [CaslAbilities, TrivialGuard, CaslGuard],
    }),
  ],
  BenchAppModule,
);

/** Boots the bench app on one adapter, ready for `inject` (and `listen` if wanted). */
export async function createBenchApp(adapter) {
  const httpAdapter = adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(BenchAppModule, httpAdapter, { logger: false, abortOnError: false });
  await app.init();
  if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}
