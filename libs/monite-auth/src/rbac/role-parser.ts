import { Logger } from '@nestjs/common';
import { MoniteMalformedResponseError } from '../errors/index.js';
import type {
  MoniteActionPermission,
  MoniteObjectPermissions,
  MonitePermissionValue,
  MoniteRole,
} from '../monite-role.js';
import { MONITE_PERMISSION_MATRIX, isMoniteObjectType, isMonitePermission } from './permission-matrix.js';

const PERMISSION_VALUES: ReadonlySet<unknown> = new Set<MonitePermissionValue>([
  'allowed',
  'allowed_for_own',
  'not_allowed',
]);

const logger = new Logger('MonitePermissions');
/** What was already reported, so a role fetched on every cache miss logs each problem once. Bounded. */
const reported = new Set<string>();
const MAX_REPORTED = 1000;

function reportOnce(key: string, message: () => string): void {
  if (reported.has(key) || reported.size >= MAX_REPORTED) return;
  reported.add(key);
  logger.warn(message());
}

/** A name from outside, quoted and cut so it cannot forge a log line. */
function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : `(${typeof value})`;
}

/** A key for `reportOnce` that never calls a hostile `toString`. */
function keyOf(value: unknown): string {
  return typeof value === 'string' ? value : `(${typeof value})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: an inherited `permission` (a `__proto__` trick) is never read as granted. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function malformed(path: string): MoniteMalformedResponseError {
  return new MoniteMalformedResponseError(`Malformed Monite role: ${path} is invalid`);
}

/**
 * Validates a role that came from Monite or from a role provider (untrusted input), pair by pair,
 * so that one odd entry never costs the whole role (Monite may add values in a newer version):
 * - an object type or action the matrix does not know, an action without a name, or an entry that
 *   is not an object grants nothing;
 * - a permission that is not one of Monite's three (a future `allowed_for_team`, `ALLOWED`, none at
 *   all: Monite's own schema would default a missing one to `allowed`, which a guard must never do)
 *   denies its pair, as `not_allowed`, whatever other entries say; so does an unreadable `actions`
 *   list for every action of its object type;
 * - only own properties are read, so `__proto__` keys grant nothing;
 * - `status` is kept as given (a string), for `compileRole`: only `active` or no status grants.
 * Each problem is logged once. Missing or null `objects` / `actions` lists mean "nothing granted".
 *
 * @throws MoniteMalformedResponseError when the value is not a role at all (not an object, no
 *   `permissions` object, `objects` not a list); the message names the path, never a value.
 */
export function parseMoniteRole(input: unknown): MoniteRole {
  if (!isRecord(input)) throw malformed('role');
  const permissions = own(input, 'permissions');
  if (!isRecord(permissions)) throw malformed('permissions');
  const entries = own(permissions, 'objects');
  if (entries !== undefined && entries !== null && !Array.isArray(entries)) {
    throw malformed('permissions.objects');
  }
  const objects: MoniteObjectPermissions[] = [];
  for (const entry of (entries ?? []) as unknown[]) {
    const object = parseObject(entry);
    if (object !== undefined) objects.push(object);
  }
  const role: MoniteRole = { permissions: { objects } };
  const id = own(input, 'id');
  const name = own(input, 'name');
  const status = own(input, 'status');
  if (typeof id === 'string') role.id = id;
  if (typeof name === 'string') role.name = name;
  if (status !== undefined) role.status = readStatus(status);
  return role;
}

function parseObject(entry: unknown): MoniteObjectPermissions | undefined {
  if (!isRecord(entry)) {
    reportOnce('entry', () => 'Ignoring an entry of a Monite role that is not an object');
    return undefined;
  }
  const objectType = own(entry, 'object_type');
  if (typeof objectType !== 'string' || !isMoniteObjectType(objectType)) {
    reportOnce(
      `type:${keyOf(objectType)}`,
      () =>
        `Ignoring object type ${quote(objectType)} in a Monite role: not in this library's permission matrix`,
    );
    return undefined;
  }
  const list = own(entry, 'actions');
  if (list === undefined || list === null) return { object_type: objectType, actions: [] };
  if (!Array.isArray(list)) {
    reportOnce(
      `list:${objectType}`,
      () => `Denying every ${objectType} action of a Monite role: its actions list is not a list`,
    );
    const denied = MONITE_PERMISSION_MATRIX[objectType].map((action_name) => ({
      action_name,
      permission: 'not_allowed' as const,
    }));
    return { object_type: objectType, actions: denied };
  }
  const actions: MoniteActionPermission[] = [];
  for (const item of list as unknown[]) {
    const action = parseAction(objectType, item);
    if (action !== undefined) actions.push(action);
  }
  return { object_type: objectType, actions };
}

function parseAction(objectType: string, item: unknown): MoniteActionPermission | undefined {
  const name = isRecord(item) ? own(item, 'action_name') : undefined;
  if (typeof name !== 'string' || name === '') {
    reportOnce(
      `unnamed:${objectType}`,
      () => `Ignoring a ${objectType} action without a name in a Monite role`,
    );
    return undefined;
  }
  if (!isMonitePermission(objectType, name)) {
    reportOnce(
      `action:${objectType}.${name}`,
      () =>
        `Ignoring action ${quote(`${objectType}.${name}`)} in a Monite role: not in this library's permission matrix`,
    );
    return undefined;
  }
  const permission = own(item as Record<string, unknown>, 'permission');
  if (PERMISSION_VALUES.has(permission)) {
    return { action_name: name, permission: permission as MonitePermissionValue };
  }
  reportOnce(
    `value:${objectType}.${name}:${keyOf(permission)}`,
    () => `Denying ${objectType}.${name} in a Monite role: unknown permission value ${quote(permission)}`,
  );
  return { action_name: name, permission: 'not_allowed' };
}

function readStatus(status: unknown): string {
  if (status === 'active') return status;
  reportOnce(
    `status:${keyOf(status)}`,
    () => `A Monite role has status ${quote(status)}: it grants nothing until it is active`,
  );
  return typeof status === 'string' ? status : 'invalid';
}
