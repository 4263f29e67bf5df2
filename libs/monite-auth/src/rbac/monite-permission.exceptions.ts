import { ForbiddenException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { MoniteAuthError } from '../errors/index.js';
import { isMonitePartner, type MoniteCaller } from '../monite-identity.js';
import type { MoniteDecisionReason } from './decide-monite-access.js';

/** The request header naming the entity a call acts on. */
export const MONITE_ENTITY_HEADER = 'x-monite-entity-id';

/**
 * The reason a response shows. "Owner unknown" reads as "another user's": a caller allowed only its
 * own objects cannot probe which ids exist. The audit hook gets the precise reason.
 */
function publicReason(reason: MoniteDecisionReason): MoniteDecisionReason {
  return reason === 'owner_unknown' ? 'not_owner' : reason;
}

/** The 403 message for a reason; `permission` is the route's `object_type.action`. */
function moniteDenialMessage(
  reason: MoniteDecisionReason,
  permission: string | undefined,
  contextType: string,
): string {
  switch (publicReason(reason)) {
    case 'not_allowed':
      return `Monite permission ${permission} is not allowed for this user`;
    case 'no_permission_metadata':
      return 'This route has no @MonitePermission and is not @MonitePublic';
    case 'unsupported_context':
      return `The Monite permission guard does not handle ${contextType} contexts`;
    case 'entity_mismatch':
      return `${MONITE_ENTITY_HEADER} names another entity than the caller's`;
    case 'role_inactive':
      return `The caller's Monite role is not active: Monite permission ${permission} is denied`;
    case 'no_entity_user':
      return `Monite permission ${permission} is allowed only on own objects, and a partner caller owns none`;
    case 'not_owner':
      return `Monite permission ${permission} is allowed only on own objects, and this object is not the caller's`;
    default:
      return `Monite permission ${permission} is denied (${reason})`;
  }
}

/**
 * Builds an exception without capturing a stack trace. A denial's stack says nothing (the guard
 * threw it, by design), Nest's exception filter never reads it, and capturing it deep in the
 * request's call stack was most of what a denial cost (about 12-14 us of 15-30 us in bench/).
 */
export function withoutStack<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** 403 with a body naming the missing permission and the (public) reason. */
export function moniteForbiddenException(
  reason: MoniteDecisionReason,
  permission: string | undefined,
  contextType: string,
): ForbiddenException {
  return withoutStack(
    () =>
      new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: moniteDenialMessage(reason, permission, contextType),
        reason: publicReason(reason),
        ...(permission !== undefined ? { permission } : {}),
      }),
  );
}

/** 401: nobody is calling, or somebody Monite does not know. */
export function moniteUnauthorizedException(reason: MoniteDecisionReason): UnauthorizedException {
  return withoutStack(
    () =>
      new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message:
          reason === 'unknown_entity_user'
            ? 'The Monite entity user of this request is unknown'
            : 'No Monite entity user for this request',
        reason,
      }),
  );
}

/** 503: the role (or the owner) could not be loaded. Never a pass; the cause is logged, not sent. */
export function moniteUnavailableException(reason: MoniteDecisionReason): ServiceUnavailableException {
  return withoutStack(
    () =>
      new ServiceUnavailableException({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Monite permissions are unavailable, try again later',
        reason,
      }),
  );
}

/** A failure for a log line: the library's own errors in full, anything else by its name only. */
export function describeFailure(error: unknown): string {
  if (error instanceof MoniteAuthError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.name : typeof error;
}

/** The warning logged with a 503: what could not be loaded, for whom, where, and why (safely). */
export function unavailableLogLine(
  reason: MoniteDecisionReason,
  caller: MoniteCaller | undefined,
  handler: string,
  cause: unknown,
): string {
  const what = reason === 'role_unavailable' ? 'Role' : 'Owner';
  const who = caller === undefined || isMonitePartner(caller) ? '(partner)' : caller.entityUserId;
  return `${what} unavailable for entity user ${who} on ${handler}: ${describeFailure(cause)}`;
}
