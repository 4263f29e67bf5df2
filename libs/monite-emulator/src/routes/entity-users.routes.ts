import { z } from 'zod';
import { authenticate, type Principal } from '../authenticate.js';
import type { EmulatorCore } from '../core.js';
import { parseJsonBody } from '../http/body.js';
import { actionNotAllowed, moniteError, validationError } from '../http/http-error.js';
import { validate } from '../http/validation.js';
import { isOwnedBy, requireAction, requireOwnership } from '../permission-check.js';
import { permission } from '../route-access.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';
import { paginate, readPageRequest } from '../store/pagination.js';
import type { StoredEntityUser } from '../store/state.js';
import { entityUserView, entityView, roleView } from '../store/views.js';
import { nowIso, requireEntityUser, scopedCaller, uuidParam } from './route-helpers.js';

const OBJECT = 'entity_user';

/** Monite's CreateEntityUserRequest (`additionalProperties: false`). */
const createBody = z.strictObject({
  first_name: z.string().min(1).max(255),
  login: z.string().min(1).max(255),
  last_name: z.string().max(255).nullable().optional(),
  email: z.email().nullable().optional(),
  phone: z.string().max(100).nullable().optional(),
  role_id: z.guid().nullable().optional(),
  title: z.string().max(255).nullable().optional(),
});

/** Monite's UpdateEntityUserRequest: every field optional; `null` leaves a field as it is. */
const updateBody = z.strictObject({
  first_name: z.string().min(1).max(255).nullable().optional(),
  login: z.string().min(1).max(255).nullable().optional(),
  last_name: z.string().max(255).nullable().optional(),
  email: z.email().nullable().optional(),
  phone: z.string().max(100).nullable().optional(),
  role_id: z.guid().nullable().optional(),
  title: z.string().max(255).nullable().optional(),
});

/**
 * What a user without a role sees from `/my_role`: the entity's default role, which the emulator
 * models as one that allows nothing (the nil UUID marks it as synthetic).
 */
const NO_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * `/v1/entity_users` (+ `/me`, `/my_role`, `/my_entity`). For `allowed_for_own`, an entity user
 * "owns" only its own record: it can read, update (but not change its role) or delete itself.
 */
export function entityUserRoutes(core: EmulatorCore): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/entity_users/me',
      versioned: true,
      access: { kind: 'entity-user' },
      handler: (r) => me(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/entity_users/my_role',
      versioned: true,
      access: { kind: 'entity-user' },
      handler: (r) => myRole(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/entity_users/my_entity',
      versioned: true,
      access: { kind: 'entity-user' },
      handler: (r) => myEntity(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/entity_users',
      versioned: true,
      access: permission(OBJECT, 'read', 'self'),
      handler: (r) => list(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/entity_users',
      versioned: true,
      access: permission(OBJECT, 'create', 'not-enough'),
      handler: (r) => create(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/entity_users/:id',
      versioned: true,
      access: permission(OBJECT, 'read', 'self'),
      handler: (r) => getOne(core, r),
    },
    {
      method: 'PATCH',
      pattern: '/v1/entity_users/:id',
      versioned: true,
      access: permission(OBJECT, 'update', 'self'),
      handler: (r) => update(core, r),
    },
    {
      method: 'DELETE',
      pattern: '/v1/entity_users/:id',
      versioned: true,
      access: permission(OBJECT, 'delete', 'self'),
      handler: (r) => remove(core, r),
    },
  ];
}

function me(core: EmulatorCore, request: RouteRequest): RouteResult {
  const user = requireEntityUser(authenticate(core, request.headers));
  return { status: 200, body: entityUserView(user) };
}

function myRole(core: EmulatorCore, request: RouteRequest): RouteResult {
  const user = requireEntityUser(authenticate(core, request.headers));
  const role = core.state.roleOf(user);
  if (role) return { status: 200, body: roleView(role) };
  return {
    status: 200,
    body: {
      id: NO_ROLE_ID,
      name: 'Default role (no permissions)',
      permissions: { objects: [] },
      status: 'active',
      created_at: user.created_at,
      updated_at: user.updated_at,
    },
  };
}

function myEntity(core: EmulatorCore, request: RouteRequest): RouteResult {
  const user = requireEntityUser(authenticate(core, request.headers));
  const entity = core.state.entities.get(user.entityId);
  if (!entity) throw moniteError(404, 'Entity not found');
  return { status: 200, body: entityView(entity) };
}

function list(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const page = readPageRequest(request.query, ['role_id', 'login']);
  const scope = requireAction(core, principal, OBJECT, 'read');
  const users = [...core.state.users.values()].filter(
    (u) =>
      u.entityId === entityId &&
      (scope === 'all' || isOwnedBy(principal, u.id)) &&
      (page.filters['role_id'] === undefined || u.roleId === page.filters['role_id'].toLowerCase()) &&
      (page.filters['login'] === undefined || u.login === page.filters['login']),
  );
  const result = paginate(users, page);
  return { status: 200, body: { ...result, data: result.data.map(entityUserView) } };
}

function create(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const body = validate(createBody, parseJsonBody(request), ['body']);
  // A new user is never the caller's own record, so `allowed_for_own` cannot create one.
  if (requireAction(core, principal, OBJECT, 'create') === 'own') throw actionNotAllowed('create', OBJECT);
  const roleId = body.role_id ? checkRole(core, body.role_id, entityId) : null;
  checkLoginFree(core, entityId, body.login);
  const now = nowIso(core);
  const user: StoredEntityUser = {
    id: core.state.newId(),
    entityId,
    roleId,
    first_name: body.first_name,
    last_name: body.last_name ?? null,
    login: body.login,
    email: body.email ?? null,
    phone: body.phone ?? null,
    title: body.title ?? null,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
  core.state.users.set(user.id, user);
  return { status: 200, body: entityUserView(user) };
}

function getOne(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', 'entity_user_id');
  const user = find(core, principal, id, entityId, 'read');
  return { status: 200, body: entityUserView(user) };
}

function update(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', 'entity_user_id');
  const body = validate(updateBody, parseJsonBody(request) ?? {}, ['body']);
  const scope = requireAction(core, principal, OBJECT, 'update');
  const user = find(core, principal, id, entityId, 'update', scope);
  const roleId = body.role_id ? checkRole(core, body.role_id, entityId) : undefined;
  // Updating only oneself must not let a user hand itself another role.
  if (scope === 'own' && roleId !== undefined && roleId !== user.roleId)
    throw actionNotAllowed('update', OBJECT);
  if (body.login && body.login !== user.login) checkLoginFree(core, entityId, body.login);
  if (roleId !== undefined) user.roleId = roleId;
  for (const field of ['first_name', 'login', 'last_name', 'email', 'phone', 'title'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null) user[field] = value;
  }
  user.updated_at = nowIso(core);
  return { status: 200, body: entityUserView(user) };
}

function remove(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', 'entity_user_id');
  const user = find(core, principal, id, entityId, 'delete');
  // Its tokens stop working at once: authentication looks the user up on every request.
  core.state.users.delete(user.id);
  return { status: 204 };
}

/** Permission for the action, then the user (404), then ownership for `allowed_for_own`. */
function find(
  core: EmulatorCore,
  principal: Principal,
  id: string,
  entityId: string,
  action: string,
  knownScope?: 'all' | 'own',
): StoredEntityUser {
  const scope = knownScope ?? requireAction(core, principal, OBJECT, action);
  const user = core.state.inEntity(core.state.users, id, entityId);
  if (!user) throw moniteError(404, 'Entity user not found');
  requireOwnership(scope, principal, user.id, OBJECT, action);
  return user;
}

function checkRole(core: EmulatorCore, roleId: string, entityId: string): string {
  const role = core.state.inEntity(core.state.roles, roleId, entityId);
  if (!role)
    throw validationError([
      { loc: ['body', 'role_id'], msg: 'Role not found in this entity', type: 'value_error' },
    ]);
  return role.id;
}

function checkLoginFree(core: EmulatorCore, entityId: string, login: string): void {
  for (const u of core.state.users.values()) {
    if (u.entityId === entityId && u.login === login)
      throw moniteError(409, 'An entity user with this login already exists');
  }
}
