import type { Principal } from '../authenticate.js';
import type { EmulatorCore } from '../core.js';
import { parseJsonBody } from '../http/body.js';
import { moniteError, validationError } from '../http/http-error.js';
import { validate } from '../http/validation.js';
import { isOwnedBy, requireAction, requireOwnership } from '../permission-check.js';
import { permission } from '../route-access.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';
import { nowIso, scopedCaller, uuidParam, withoutNulls } from '../routes/route-helpers.js';
import { paginate, readPageRequest } from '../store/pagination.js';
import { mergeFields, ownedObjectView, type StoredOwnedObject } from './owned-objects.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/**
 * The routes of one owned object type, enforced the way payables are: the caller's role must
 * grant the action (403 `Action {action} for {object_type} not allowed`); `allowed_for_own`
 * lists only the caller's objects and acts only on them; the partner token may do everything
 * and owns nothing it creates. An object of another entity does not exist for the caller (404).
 */
export function ownedResourceRoutes(core: EmulatorCore, spec: OwnedResourceSpec): RouteDefinition[] {
  const base = `/v1${spec.path}`;
  const item = `${base}/:id`;
  const type = spec.objectType;
  const routes: RouteDefinition[] = [
    {
      method: 'GET',
      pattern: base,
      versioned: true,
      access: permission(type, 'read', 'filtered'),
      handler: (r) => list(core, spec, r),
    },
    {
      method: 'POST',
      pattern: base,
      versioned: true,
      access: permission(type, 'create', 'creates-own'),
      handler: (r) => create(core, spec, r),
    },
    {
      method: 'GET',
      pattern: item,
      versioned: true,
      access: permission(type, 'read', 'creator'),
      handler: (r) => getOne(core, spec, r),
    },
  ];
  if (spec.update) {
    routes.push({
      method: 'PATCH',
      pattern: item,
      versioned: true,
      access: permission(type, 'update', 'creator'),
      handler: (r) => update(core, spec, r),
    });
  }
  if (spec.remove) {
    routes.push({
      method: 'DELETE',
      pattern: item,
      versioned: true,
      access: permission(type, 'delete', 'creator'),
      handler: (r) => remove(core, spec, r),
    });
  }
  return routes;
}

function list(core: EmulatorCore, spec: OwnedResourceSpec, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const filters = spec.list.filters ?? [];
  const page = readPageRequest(
    request.query,
    filters.map((f) => f.query),
  );
  const missing = filters.filter((f) => f.required && page.filters[f.query] === undefined);
  if (missing.length > 0) {
    throw validationError(
      missing.map((f) => ({ loc: ['query', f.query], msg: 'Field required', type: 'missing' })),
    );
  }
  const scope = requireAction(core, principal, spec.objectType, 'read');
  const views = [...core.state.ownedObjects(spec.objectType).values()]
    .filter((o) => o.entityId === entityId && (scope === 'all' || isOwnedBy(principal, o.creatorId)))
    .map((o) => ownedObjectView(spec, o))
    .filter((view) =>
      filters.every((f) => {
        const wanted = page.filters[f.query];
        return wanted === undefined || String(view[f.field]).toLowerCase() === wanted.toLowerCase();
      }),
    );
  if (!spec.list.paginated) return { status: 200, body: { data: views } };
  return { status: 200, body: paginate(views, page) };
}

function create(core: EmulatorCore, spec: OwnedResourceSpec, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const body = validate(spec.create.body, parseJsonBody(request), ['body']);
  // `allowed_for_own` may create: the new object is the caller's own.
  requireAction(core, principal, spec.objectType, 'create');
  const { [spec.creatorField]: namedCreator, ...fields } = body;
  const now = nowIso(core);
  const object: StoredOwnedObject = {
    id: core.state.newId(),
    entityId,
    creatorId: creatorOf(core, spec, principal, namedCreator, entityId),
    created_at: now,
    updated_at: now,
    fields: { ...structuredClone(spec.create.defaults ?? {}), ...withoutNulls(fields) },
  };
  core.state.ownedObjects(spec.objectType).set(object.id, object);
  const view = spec.create.answer === 'id' ? { id: object.id } : ownedObjectView(spec, object);
  return { status: spec.create.status, body: view };
}

function getOne(core: EmulatorCore, spec: OwnedResourceSpec, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const object = find(core, spec, principal, uuidParam(request, 'id', spec.idName), entityId, 'read');
  return { status: 200, body: ownedObjectView(spec, object) };
}

function update(core: EmulatorCore, spec: OwnedResourceSpec, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', spec.idName);
  const changes = spec.update!;
  const body = validate(changes.body, parseJsonBody(request) ?? {}, ['body']);
  const object = find(core, spec, principal, id, entityId, 'update');
  const { [spec.creatorField]: namedCreator, ...fields } = changes.toFields?.(body) ?? body;
  if (namedCreator !== undefined && principal.kind === 'partner')
    object.creatorId = creatorOf(core, spec, principal, namedCreator, entityId);
  mergeFields(object.fields, fields);
  object.updated_at = nowIso(core);
  return { status: 200, body: ownedObjectView(spec, object) };
}

function remove(core: EmulatorCore, spec: OwnedResourceSpec, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const object = find(core, spec, principal, uuidParam(request, 'id', spec.idName), entityId, 'delete');
  core.state.ownedObjects(spec.objectType).delete(object.id);
  return { status: 204 };
}

/** Permission for the action (403), then the object in this entity (404), then ownership for `allowed_for_own` (403). */
function find(
  core: EmulatorCore,
  spec: OwnedResourceSpec,
  principal: Principal,
  id: string,
  entityId: string,
  action: string,
): StoredOwnedObject {
  const scope = requireAction(core, principal, spec.objectType, action);
  const object = core.state.inEntity(core.state.ownedObjects(spec.objectType), id, entityId);
  if (!object) throw moniteError(404, `${spec.label} not found`);
  requireOwnership(scope, principal, object.creatorId, spec.objectType, action);
  return object;
}

/**
 * Who the new object belongs to: an entity user is always its own creator; the partner owns
 * nothing, unless the type lets the body name the creator (then it must be a user of the entity).
 */
function creatorOf(
  core: EmulatorCore,
  spec: OwnedResourceSpec,
  principal: Principal,
  named: unknown,
  entityId: string,
): string | null {
  if (principal.kind === 'entity_user') return principal.user.id;
  if (!spec.creatorInBody || typeof named !== 'string') return null;
  const user = core.state.inEntity(core.state.users, named, entityId);
  if (!user) {
    throw validationError([
      { loc: ['body', spec.creatorField], msg: 'Entity user not found in this entity', type: 'value_error' },
    ]);
  }
  return user.id;
}
