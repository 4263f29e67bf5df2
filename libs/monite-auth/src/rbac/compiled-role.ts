import type { MonitePermissionValue, MoniteRole } from '../monite-role.js';
import { MONITE_PERMISSION_PAIR_COUNT, permissionPairId } from './permission-matrix.js';

// One byte per matrix pair. The order makes "most restrictive" the smallest code.
const NOT_ALLOWED = 0;
const ALLOWED_FOR_OWN = 1;
const ALLOWED = 2;
const UNSET = 255;
const VALUES: readonly MonitePermissionValue[] = ['not_allowed', 'allowed_for_own', 'allowed'];
const CODES: Readonly<Record<MonitePermissionValue, number>> = {
  not_allowed: NOT_ALLOWED,
  allowed_for_own: ALLOWED_FOR_OWN,
  allowed: ALLOWED,
};

/**
 * A role compiled into a flat table: one entry per pair of the permission matrix. Built once per
 * role, read on every request; a check is an array index.
 */
export class CompiledRole {
  /** Permission code per matrix pair id (0 not_allowed, 1 allowed_for_own, 2 allowed). */
  protected readonly table: Uint8Array;
  /** False for a role whose `status` is not `active`: it grants nothing (the guard says `role_inactive`). */
  readonly active: boolean;

  /** Use `compileRole`; the table must come from it. */
  constructor(table: Uint8Array, active = true) {
    this.table = active ? table : new Uint8Array(table.length);
    this.active = active;
  }

  /** The permission for a pair id from `permissionPairId`; an unknown id (-1) is `not_allowed`. */
  permissionAt(pairId: number): MonitePermissionValue {
    // Out-of-range reads give undefined, which is not_allowed.
    return VALUES[this.table[pairId] ?? NOT_ALLOWED];
  }

  /** The permission for `objectType.action`; anything the role or the matrix does not list is `not_allowed`. */
  permissionFor(objectType: string, action: string): MonitePermissionValue {
    return this.permissionAt(permissionPairId(objectType, action));
  }
}

/** A role that allows nothing. */
export const EMPTY_COMPILED_ROLE = new CompiledRole(new Uint8Array(MONITE_PERMISSION_PAIR_COUNT));

/**
 * Compiles a role into a `CompiledRole`. Object types and actions the matrix does not know are
 * ignored (a newer Monite may send them). A permission value that is not one of Monite's three
 * denies its pair, like `not_allowed`; when a role lists one pair more than once, the most
 * restrictive entry wins (fail closed). A role with a `status` other than `active` grants nothing.
 * Pass a role through `parseMoniteRole` first when it comes from outside: this function trusts its shape.
 */
export function compileRole(role: MoniteRole): CompiledRole {
  const table = new Uint8Array(MONITE_PERMISSION_PAIR_COUNT).fill(UNSET);
  for (const object of role.permissions.objects) {
    for (const { action_name, permission } of object.actions) {
      const pairId = permissionPairId(object.object_type, action_name);
      if (pairId === -1) continue;
      const code = Object.hasOwn(CODES, permission) ? CODES[permission] : NOT_ALLOWED;
      if (code < table[pairId]) table[pairId] = code;
    }
  }
  for (let i = 0; i < table.length; i++) if (table[i] === UNSET) table[i] = NOT_ALLOWED;
  return new CompiledRole(table, role.status === undefined || role.status === 'active');
}
