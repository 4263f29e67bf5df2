import type { SeedRole } from './emulator.types.js';
import { EMULATOR_PERMISSION_MATRIX } from './permission-matrix.js';
import { OWNED_RESOURCES } from './resources/owned-resources.js';

/** How the demo seed writes a role's grants: object type -> action -> permission. */
export type Permission = 'allowed' | 'allowed_for_own' | 'not_allowed';
export type Grants = Record<string, Record<string, Permission>>;

export function permissions(grants: Grants): SeedRole['permissions'] {
  return {
    objects: Object.entries(grants).map(([object_type, actions]) => ({
      object_type,
      actions: Object.entries(actions).map(([action_name, permission]) => ({ action_name, permission })),
    })),
  };
}

export function everything(permission: Permission, only?: (action: string) => boolean): Grants {
  return Object.fromEntries(
    Object.entries(EMULATOR_PERMISSION_MATRIX)
      .map(([objectType, actions]) => [
        objectType,
        Object.fromEntries(actions.filter((a) => !only || only(a)).map((a) => [a, permission])),
      ])
      .filter(([, actions]) => Object.keys(actions as object).length > 0),
  );
}

/** `allowed_for_own` on every action of every owned type the generic routes serve. */
export function ownOnEveryOwnedType(): Grants {
  return Object.fromEntries(
    OWNED_RESOURCES.map((spec) => [
      spec.objectType,
      Object.fromEntries(
        (EMULATOR_PERMISSION_MATRIX[spec.objectType] ?? []).map((action) => [action, 'allowed_for_own']),
      ),
    ]),
  );
}
