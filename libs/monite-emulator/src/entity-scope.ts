import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './authenticate.js';
import type { EmulatorCore } from './core.js';
import { moniteError, validationError } from './http/http-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The entity an entity-scoped request acts on, from `x-monite-entity-id`:
 * - missing or not a UUID: 422 (FastAPI header validation);
 * - an entity-user token naming any other entity than the user's own: 403;
 * - a partner token naming an entity that does not exist: 404.
 */
export function resolveEntity(
  core: EmulatorCore,
  principal: Principal,
  headers: IncomingHttpHeaders,
): string {
  const value = headers['x-monite-entity-id'];
  if (value === undefined || value === '') {
    throw validationError([
      { loc: ['header', 'x-monite-entity-id'], msg: 'Field required', type: 'missing' },
    ]);
  }
  if (typeof value !== 'string' || !UUID.test(value.trim())) {
    throw validationError([
      { loc: ['header', 'x-monite-entity-id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' },
    ]);
  }
  const entityId = value.trim().toLowerCase();
  if (principal.kind === 'entity_user') {
    if (principal.user.entityId !== entityId) {
      throw moniteError(403, 'The entity user does not belong to the entity in x-monite-entity-id');
    }
    return entityId;
  }
  if (!core.state.entities.has(entityId)) throw moniteError(404, 'Entity not found');
  return entityId;
}

/** True when `value` looks like a UUID (any version). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
