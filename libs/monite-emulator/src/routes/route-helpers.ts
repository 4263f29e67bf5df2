import { authenticate, type Principal } from '../authenticate.js';
import type { EmulatorCore } from '../core.js';
import { isUuid, resolveEntity } from '../entity-scope.js';
import { moniteError, validationError } from '../http/http-error.js';
import type { RouteRequest } from '../router.js';
import type { StoredEntityUser } from '../store/state.js';

/** The caller and the entity of an entity-scoped request (401, then 422/403/404 for the entity header). */
export function scopedCaller(
  core: EmulatorCore,
  request: RouteRequest,
): { principal: Principal; entityId: string } {
  const principal = authenticate(core, request.headers);
  return { principal, entityId: resolveEntity(core, principal, request.headers) };
}

/**
 * The entity user behind an entity-user token. A partner token on an entity-user-only endpoint
 * (`/entity_users/me`, `/my_role`, `/my_entity`) is a 400: a documented choice, Monite does not
 * document the exact answer.
 */
export function requireEntityUser(principal: Principal): StoredEntityUser {
  if (principal.kind !== 'entity_user') {
    throw moniteError(400, 'This endpoint needs an entity user token, not a partner token');
  }
  return principal.user;
}

/** A UUID path parameter, lower-cased; otherwise 422 with FastAPI's `loc` (`['path', 'payable_id']`). */
export function uuidParam(request: RouteRequest, name: string, apiName: string): string {
  const value = request.params[name] ?? '';
  if (!isUuid(value)) {
    throw validationError([
      { loc: ['path', apiName], msg: 'Input should be a valid UUID', type: 'uuid_parsing' },
    ]);
  }
  return value.toLowerCase();
}

/** The emulator clock as an ISO timestamp, for created_at / updated_at. */
export function nowIso(core: EmulatorCore): string {
  return new Date(core.clock.now()).toISOString();
}

/** The record without its null and undefined fields. */
export function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}
