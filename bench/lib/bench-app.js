/*
 * One Nest app with one trivial route per guard variant, on Express or Fastify:
 *   GET /bench/none           no guard
 *   GET /bench/trivial        a guard that only reads the route's metadata (the metadata floor)
 *   GET /bench/callerFloor    a guard that reads the metadata and identifies the caller with the
 *                             app's resolveEntityUser, then passes (the caller floor)
 *   GET /bench/ours           MonitePermissionGuard, @MonitePermission('payable', 'read'), role cached
 *   GET /bench/casl           a CASL guard doing the same check, abilities cached per user
 *   GET /bench/deniedTrivial  a guard that reads the metadata and returns false (Nest's own 403)
 *   GET /bench/deniedOurs     MonitePermissionGuard on 'payable.pay', which the bench role denies
 *   GET /bench/timed/NAME     times one canActivate of guard NAME (ours, callerFloor, trivial,
 *                             casl, empty) inside the request, for the micro-benchmark
 * The guards other than ours are in bench-guards.js.
 * Plain JavaScript has no decorator syntax, so decorators are applied with Reflect.decorate.
 */
import 'reflect-metadata';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MoniteAuthModule, MonitePermission, MonitePermissionGuard } from 'nestjs-monite-auth';
import {
  BenchRoute,
  CallerFloorGuard,
  CaslAbilities,
  CaslCheck,
  CaslGuard,
  DenyingTrivialGuard,
  GuardTimer,
  TimedGuardName,
  TimingGuard,
  TrivialGuard,
  resolveEntityUser,
} from './bench-guards.js';
import { BENCH_ROLE, ME } from './bench-role.js';

/** Variants measured under load too (rps, p99); the CPU rounds measure every variant. */
export const VARIANTS = ['none', 'trivial', 'ours', 'casl'];
/** Every variant of the CPU rounds, compared pairs side by side. */
export const CPU_VARIANTS = ['none', 'trivial', 'callerFloor', 'ours', 'casl', 'deniedTrivial', 'deniedOurs'];
/** What each variant's route answers. */
export const EXPECTED_STATUS = { deniedTrivial: 403, deniedOurs: 403 };
export const ADAPTERS = ['express', 'fastify'];
export const ENTITY_ID = 'e0000000-0000-4000-8000-000000000001';
/** Headers of every bench request: who the caller is (standing in for the app's own authentication). */
export const CALLER_HEADERS = { 'x-entity-user-id': ME, 'x-entity-id': ENTITY_ID };

function decorateMethod(type, method, decorators) {
  Reflect.decorate(
    decorators,
    type.prototype,
    method,
    Object.getOwnPropertyDescriptor(type.prototype, method),
  );
}

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
  callerFloor() {
    return BODY;
  }
  deniedTrivial() {
    return BODY;
  }
  deniedOurs() {
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
decorateMethod(BenchController, 'callerFloor', [
  Get('callerFloor'),
  UseGuards(CallerFloorGuard),
  BenchRoute('callerFloor'),
]);
decorateMethod(BenchController, 'deniedTrivial', [
  Get('deniedTrivial'),
  UseGuards(DenyingTrivialGuard),
  BenchRoute('deniedTrivial'),
]);
decorateMethod(BenchController, 'deniedOurs', [
  Get('deniedOurs'),
  UseGuards(MonitePermissionGuard),
  MonitePermission('payable', 'pay'),
]);

/** The micro-benchmark's routes: every guard's metadata, the TimingGuard picks one guard by name. */
export const TIMED_GUARDS = ['ours', 'callerFloor', 'trivial', 'casl', 'empty'];
export class TimedController {}
Reflect.decorate([Controller('bench/timed')], TimedController);
for (const name of TIMED_GUARDS) {
  Object.defineProperty(TimedController.prototype, name, {
    value: { [name]: () => BODY }[name],
    writable: true,
    configurable: true,
  });
  decorateMethod(TimedController, name, [
    Get(name),
    UseGuards(TimingGuard),
    TimedGuardName(name),
    MonitePermission('payable', 'read'),
    BenchRoute('timed'),
    CaslCheck({ action: 'read', subject: 'payable' }),
  ]);
}

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
          resolveEntityUser,
        }),
      ],
      controllers: [BenchController, TimedController],
      providers: [CaslAbilities, TrivialGuard, CallerFloorGuard, DenyingTrivialGuard, CaslGuard, GuardTimer],
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
