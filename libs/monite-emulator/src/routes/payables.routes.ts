import { z } from 'zod';
import type { Principal } from '../authenticate.js';
import type { EmulatorCore } from '../core.js';
import { parseJsonBody } from '../http/body.js';
import { moniteError, validationError } from '../http/http-error.js';
import { validate } from '../http/validation.js';
import { isOwnedBy, requireAction, requireOwnership } from '../permission-check.js';
import { permission } from '../route-access.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';
import { PAYABLE_STATUSES } from '../domain.js';
import { paginate, readPageRequest } from '../store/pagination.js';
import type { StoredPayable } from '../store/state.js';
import { payableView } from '../store/views.js';
import { nowIso, scopedCaller, uuidParam, withoutNulls } from './route-helpers.js';

const OBJECT = 'payable';

const fields = {
  amount: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  description: z.string().max(1000).nullable().optional(),
  document_id: z.string().max(255).nullable().optional(),
  due_date: z.iso.date().nullable().optional(),
  counterpart_id: z.guid().nullable().optional(),
  partner_metadata: z.record(z.string(), z.unknown()).nullable().optional(),
};

/** A simplified PayableUploadWithDataSchema: amount (minor units) and currency, plus a few optional fields. */
const createBody = z.strictObject(fields);
/** PATCH: the same fields, all optional. */
const updateBody = z.strictObject({
  ...fields,
  amount: fields.amount.optional(),
  currency: fields.currency.optional(),
});

/** Statuses in which a payable can still be edited. */
const EDITABLE = new Set(['draft', 'new']);
/** Statuses in which it can be deleted. */
const DELETABLE = new Set(['draft', 'new', 'canceled', 'rejected']);
/** approve: `new` / `approve_in_progress` -> `waiting_to_be_paid` (Monite's name for approved). */
const APPROVABLE = new Set(['new', 'approve_in_progress']);
/** pay: `waiting_to_be_paid` / `partially_paid` -> `paid`. */
const PAYABLE_NOW = new Set(['waiting_to_be_paid', 'partially_paid']);

/**
 * `/v1/payables`: the business resource with owners. `was_created_by_user_id` is the entity user
 * that created it (null with the partner token), and `allowed_for_own` compares against it.
 * A transition from the wrong status is a 409 whose message names the status (never
 * "Action ... not allowed", which Monite reserves for permission failures).
 */
export function payableRoutes(core: EmulatorCore): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/payables',
      versioned: true,
      access: permission(OBJECT, 'read', 'filtered'),
      handler: (r) => list(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/payables',
      versioned: true,
      access: permission(OBJECT, 'create', 'creates-own'),
      handler: (r) => create(core, r),
    },
    {
      method: 'GET',
      pattern: '/v1/payables/:id',
      versioned: true,
      access: permission(OBJECT, 'read', 'creator'),
      handler: (r) => getOne(core, r),
    },
    {
      method: 'PATCH',
      pattern: '/v1/payables/:id',
      versioned: true,
      access: permission(OBJECT, 'update', 'creator'),
      handler: (r) => update(core, r),
    },
    {
      method: 'DELETE',
      pattern: '/v1/payables/:id',
      versioned: true,
      access: permission(OBJECT, 'delete', 'creator'),
      handler: (r) => remove(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/payables/:id/approve',
      versioned: true,
      access: permission(OBJECT, 'approve', 'creator'),
      handler: (r) => approve(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/payables/:id/pay',
      versioned: true,
      access: permission(OBJECT, 'pay', 'creator'),
      handler: (r) => pay(core, r),
    },
  ];
}

function list(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const page = readPageRequest(request.query, ['status']);
  const status = page.filters['status'];
  if (status !== undefined && !(PAYABLE_STATUSES as readonly string[]).includes(status)) {
    throw validationError([
      {
        loc: ['query', 'status'],
        msg: `Input should be ${PAYABLE_STATUSES.map((s) => `'${s}'`).join(', ')}`,
        type: 'enum',
      },
    ]);
  }
  const scope = requireAction(core, principal, OBJECT, 'read');
  const payables = [...core.state.payables.values()].filter(
    (p) =>
      p.entityId === entityId &&
      (scope === 'all' || isOwnedBy(principal, p.was_created_by_user_id)) &&
      (status === undefined || p.status === status),
  );
  const result = paginate(payables, page);
  return { status: 200, body: { ...result, data: result.data.map(payableView) } };
}

function create(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const body = validate(createBody, parseJsonBody(request), ['body']);
  // `allowed_for_own` may create: the new payable is the caller's own.
  requireAction(core, principal, OBJECT, 'create');
  const { amount, currency, ...rest } = body;
  const now = nowIso(core);
  const payable: StoredPayable = {
    id: core.state.newId(),
    entityId,
    was_created_by_user_id: principal.kind === 'entity_user' ? principal.user.id : null,
    amount,
    currency,
    status: 'new',
    created_at: now,
    updated_at: now,
    extra: withoutNulls(rest),
  };
  core.state.payables.set(payable.id, payable);
  return { status: 200, body: payableView(payable) };
}

function getOne(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const payable = find(core, principal, uuidParam(request, 'id', 'payable_id'), entityId, 'read');
  return { status: 200, body: payableView(payable) };
}

function update(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const id = uuidParam(request, 'id', 'payable_id');
  const body = validate(updateBody, parseJsonBody(request) ?? {}, ['body']);
  const payable = find(core, principal, id, entityId, 'update');
  if (!EDITABLE.has(payable.status))
    throw moniteError(409, `A payable in status ${payable.status} cannot be updated`);
  const { amount, currency, ...rest } = body;
  if (amount !== undefined) payable.amount = amount;
  if (currency !== undefined) payable.currency = currency;
  for (const [key, value] of Object.entries(rest)) {
    if (value === null) delete payable.extra[key];
    else if (value !== undefined) payable.extra[key] = value;
  }
  payable.updated_at = nowIso(core);
  return { status: 200, body: payableView(payable) };
}

function remove(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const payable = find(core, principal, uuidParam(request, 'id', 'payable_id'), entityId, 'delete');
  if (!DELETABLE.has(payable.status))
    throw moniteError(409, `A payable in status ${payable.status} cannot be deleted`);
  core.state.payables.delete(payable.id);
  return { status: 204 };
}

function approve(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const payable = find(core, principal, uuidParam(request, 'id', 'payable_id'), entityId, 'approve');
  if (!APPROVABLE.has(payable.status))
    throw moniteError(409, `A payable in status ${payable.status} cannot be approved`);
  payable.status = 'waiting_to_be_paid';
  payable.extra['approved_by_entity_user_id'] = principal.kind === 'entity_user' ? principal.user.id : null;
  payable.updated_at = nowIso(core);
  return { status: 200, body: payableView(payable) };
}

function pay(core: EmulatorCore, request: RouteRequest): RouteResult {
  const { principal, entityId } = scopedCaller(core, request);
  const payable = find(core, principal, uuidParam(request, 'id', 'payable_id'), entityId, 'pay');
  if (!PAYABLE_NOW.has(payable.status))
    throw moniteError(409, `A payable in status ${payable.status} cannot be paid`);
  payable.status = 'paid';
  payable.extra['marked_as_paid_by_entity_user_id'] =
    principal.kind === 'entity_user' ? principal.user.id : null;
  payable.extra['paid_at'] = nowIso(core);
  payable.updated_at = payable.extra['paid_at'] as string;
  return { status: 200, body: payableView(payable) };
}

/** Permission for the action (403), then the payable in this entity (404), then ownership for `allowed_for_own` (403). */
function find(
  core: EmulatorCore,
  principal: Principal,
  id: string,
  entityId: string,
  action: string,
): StoredPayable {
  const scope = requireAction(core, principal, OBJECT, action);
  const payable = core.state.inEntity(core.state.payables, id, entityId);
  if (!payable) throw moniteError(404, 'Payable not found');
  requireOwnership(scope, principal, payable.was_created_by_user_id, OBJECT, action);
  return payable;
}
