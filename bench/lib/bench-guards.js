/*
 * The guards the bench compares ours with, and the app's authentication they share with ours.
 * Plain JavaScript has no decorator syntax, so decorators are applied with Reflect.decorate.
 */
import 'reflect-metadata';
import { createMongoAbility } from '@casl/ability';
import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { caslRulesFor } from './bench-role.js';

/** The app's authentication, shared by our guard (resolveEntityUser) and the CASL guard. */
export function userOf(request) {
  const entityUserId = request.headers['x-entity-user-id'];
  return entityUserId === undefined ? undefined : { entityUserId, entityId: request.headers['x-entity-id'] };
}

/** The app's `resolveEntityUser`: given to MoniteAuthModule and run as is by the caller floor. */
export function resolveEntityUser(context) {
  return userOf(context.switchToHttp().getRequest());
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

/**
 * The caller floor: the trivial guard plus what every real guard must do, identify the caller
 * (the same resolveEntityUser as ours, reading the same headers), then pass.
 */
export class CallerFloorGuard {
  constructor(reflector) {
    this.reflector = reflector;
  }
  canActivate(context) {
    return (
      this.reflector.get(BenchRoute, context.getHandler()) !== undefined &&
      resolveEntityUser(context) !== undefined
    );
  }
}
Reflect.decorate([Injectable()], CallerFloorGuard);
Inject(Reflector)(CallerFloorGuard, undefined, 0);

/** The trivial guard's denial: reads the metadata, returns false, and Nest throws its own ForbiddenException. */
export class DenyingTrivialGuard {
  constructor(reflector) {
    this.reflector = reflector;
  }
  canActivate(context) {
    return this.reflector.get(BenchRoute, context.getHandler()) === undefined;
  }
}
Reflect.decorate([Injectable()], DenyingTrivialGuard);
Inject(Reflector)(DenyingTrivialGuard, undefined, 0);

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

/** Which guard a timed route times: `ours`, `callerFloor`, `trivial`, `casl` or `empty`. */
export const TimedGuardName = Reflector.createDecorator();

/**
 * The guards a timed route can time, and the ns of each call that passed. `empty` passes without
 * doing anything: its time is the timer's own, subtracted from the others.
 */
export class GuardTimer {
  constructor() {
    this.guards = { empty: { canActivate: () => true } };
    this.ns = {};
  }
  /** Empties the record of `name` and returns it. */
  take(name) {
    const ns = this.ns[name] ?? [];
    this.ns[name] = [];
    return ns;
  }
}
Reflect.decorate([Injectable()], GuardTimer);

/**
 * Times one canActivate of the route's guard inside a real request: the request object is fresh
 * and was just handled by the HTTP server, Express and the body parser, as in production.
 */
export class TimingGuard {
  constructor(reflector, timer) {
    this.reflector = reflector;
    this.timer = timer;
  }
  canActivate(context) {
    const name = this.reflector.get(TimedGuardName, context.getHandler());
    const guard = this.timer.guards[name];
    const start = process.hrtime.bigint();
    const passed = guard.canActivate(context);
    const ns = Number(process.hrtime.bigint() - start);
    // A Promise (the first call, loading the role) is not timed.
    if (passed === true) (this.timer.ns[name] ??= []).push(ns);
    return passed;
  }
}
Reflect.decorate([Injectable()], TimingGuard);
Inject(Reflector)(TimingGuard, undefined, 0);
Inject(GuardTimer)(TimingGuard, undefined, 1);
