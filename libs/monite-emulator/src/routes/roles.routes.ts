import { z } from 'zod';
import type { Principal } from '../authenticate.js';
import type { EmulatorCore } from '../core.js';
import { parseJsonBody } from '../http/body.js';
import { actionNotAllowed, moniteError } from '../http/http-error.js';
import { validate } from '../http/validation.js';
import { requireAction, requireOwnership } from '../permission-check.js';
import { permission } from '../route-access.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';
import { permissionsSchema } from '../seed/permissions-schema.js';
import { paginate, readPageRequest } from '../store/pagination.js';
import type { StoredRole } from '../store/state.js';
import { roleView } from '../store/views.js';
import { nowIso, scopedCaller, uuidParam } from './route-helpers.js';

const OBJECT = 'role';

/** Monite's CreateRoleRequest. */
const createBody = z.strictObject({
  name: z.string().trim().min(1).max(255),
  permissions: permissionsSchema,
});

/** Monite's UpdateRoleRequest: `null` or absent leaves a field as it is. */
const updateBody = z.strictObject({
  name: z.string().trim().min(1).max(255).nullable().optional(),
  permissions: permissionsSchema.nullable().optional(),
});

/**
 * `/v1/roles` CRUD. For `allowed_for_own`, the role an entity user "owns" is the one it acts
 * with (roles record no creator). Deleting a role assigned to any entity user is a 409.
 */
export function roleRoutes(core: EmulatorCore): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/roles',
      versioned: true,
      access: permission(OBJECT, 'read', 'held-role'),
      handler: (r) => list(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/roles',
      versioned: true,
      access: permission(OBJECT, 'create', 'not-enough'),
      handler: (r) => create(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/roles/:id',
      versioned: true,
      access: permission(OBJECT, 'read', 'held-role'),
      handler: (r) => getOne(core, r),
    },
    {
      method: 'PATCH',
      pattern: '/v1/roles/:id',
      versioned: true,
      access: permission(OBJECT, 'update', 'held-role'),
      handler: (r) => update(core, r),
    },
    {
      method: 'DELETE',
      pattern: '/v1/roles/:id',
      versioned: true,
      access: permission(OBJECT, 'delete', 'held-role'),
      handler: (r) => remove(core, r),
    },
  ];
}

function ownerOf(role: StoredRole, principal: Principal): string | null {
  // The caller owns the role it holds: report the caller as owner of exactly that role.
  return principal.kind === 'entity_user' && principal.user.roleId === role.id ? principal.user.id : null;
}

function list(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const page = readPageRequest(request.query, ['name']);
  const scope = requireAction(core, principal, OBJECT, 'read');
  const roles = [...core.state.roles.values()].filter(
    (r) =>
      r.entityId === entityId &&
      (scope === 'all' || ownerOf(r, principal) !== null) &&
      (page.filters['name'] === undefined || r.name === page.filters['name']),
  );
  const result = paginate(roles, page);
  return { status: 200, body: { ...result, data: result.data.map(roleView) } };
}

function create(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const body = validate(createBody, parseJsonBody(request), ['body']);
  // A new role is held by nobody yet, so it can never be the caller's own.
  if (requireAction(core, principal, OBJECT, 'create') === 'own') throw actionNotAllowed('create', OBJECT);
  const now = nowIso(core);
  const role: StoredRole = {
    id: core.state.newId(),
    entityId,
    name: body.name,
    permissions: body.permissions,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
  core.state.roles.set(role.id, role);
  return { status: 200, body: roleView(role) };
}

function getOne(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const role = find(core, principal, uuidParam(request, 'id', 'role_id'), entityId, 'read');
  return { status: 200, body: roleView(role) };
}

function update(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', 'role_id');
  const body = validate(updateBody, parseJsonBody(request) ?? {}, ['body']);
  const role = find(core, principal, id, entityId, 'update');
  if (body.name !== undefined && body.name !== null) role.name = body.name;
  if (body.permissions !== undefined && body.permissions !== null) role.permissions = body.permissions;
  role.updated_at = nowIso(core);
  return { status: 200, body: roleView(role) };
}

function remove(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const role = find(core, principal, uuidParam(request, 'id', 'role_id'), entityId, 'delete');
  const holders = [...core.state.users.values()].filter((u) => u.roleId === role.id).length;
  if (holders > 0)
    throw moniteError(409, `The role is assigned to ${holders} entity user(s) and cannot be deleted`);
  core.state.roles.delete(role.id);
  return { status: 204 };
}

/** Permission for the action, then the role (404), then ownership for `allowed_for_own`. */
function find(
  core: EmulatorCore,
  principal: Principal,
  id: string,
  entityId: string,
  action: string,
): StoredRole {
  const scope = requireAction(core, principal, OBJECT, action);
  const role = core.state.inEntity(core.state.roles, id, entityId);
  if (!role) throw moniteError(404, 'Role not found');
  requireOwnership(scope, principal, ownerOf(role, principal), OBJECT, action);
  return role;
}
