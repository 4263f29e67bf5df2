/*
 * What the transport suites share: the emulator's users as callers, the app's authentication (the
 * caller named by test headers), the module options for the emulator, and a counter of handler
 * runs per handler, to prove that a denied call ran nothing.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { DEMO_CLIENT, DEMO_ENTITIES, type DemoUser, type MoniteEmulator } from 'monite-emulator';
import type { MoniteAuthModuleOptions, MoniteCaller } from 'nestjs-monite-auth';

/** The header naming the caller; the value `THROWING_USER` makes the authentication itself fail. */
export const USER_HEADER = 'x-test-user';
export const THROWING_USER = 'throw';
/** The route of the role fetch in the monite-managed model (a fault there: role unavailable). */
export const MY_ROLE = 'GET /v1/entity_users/my_role';

/** The headers of a call made as `user`, optionally naming an entity in `x-monite-entity-id`. */
export function headersOf(user?: DemoUser, entityHeader?: string): Record<string, string> {
  return {
    ...(user ? { [USER_HEADER]: user.id } : {}),
    ...(entityHeader ? { 'x-monite-entity-id': entityHeader } : {}),
  };
}

/** Another entity than every Acme user's: `x-monite-entity-id` naming it is an entity mismatch. */
export const OTHER_ENTITY = DEMO_ENTITIES.globex.id;

/** The app's authentication in the tests: the caller is the entity user a header names (in Acme). */
export function authenticateTestHeaders(headers: IncomingHttpHeaders): MoniteCaller | undefined {
  const entityUserId = headers[USER_HEADER];
  if (entityUserId === THROWING_USER) throw new Error('session store unreachable');
  if (typeof entityUserId !== 'string') return undefined;
  return { entityUserId, entityId: DEMO_ENTITIES.acme.id };
}

/** MoniteAuthModule options for the emulator (monite-managed: roles from `my_role`); no retries, so one fault is one failure. */
export function emulatorOptions(emulator: MoniteEmulator): MoniteAuthModuleOptions {
  return {
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    apiUrl: emulator.url,
    retry: { maxRetries: 0 },
  };
}

/** Runs of each handler, by name. */
@Injectable()
export class HandlerRuns {
  private readonly runs = new Map<string, number>();

  record(handler: string): void {
    this.runs.set(handler, this.of(handler) + 1);
  }

  of(handler: string): number {
    return this.runs.get(handler) ?? 0;
  }

  total(): number {
    return [...this.runs.values()].reduce((sum, n) => sum + n, 0);
  }
}
