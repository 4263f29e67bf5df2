import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { compileRole, EMPTY_COMPILED_ROLE } from './compiled-role.js';
import type { MonitePermissionValue, MoniteRole } from '../monite-role.js';
import { MONITE_PERMISSION_MATRIX, permissionPairId } from './permission-matrix.js';
import { parseMoniteRole } from './role-parser.js';

const PERMISSIONS: MonitePermissionValue[] = ['allowed', 'allowed_for_own', 'not_allowed'];
const RANK: Record<MonitePermissionValue, number> = { not_allowed: 0, allowed_for_own: 1, allowed: 2 };
const MATRIX = MONITE_PERMISSION_MATRIX as Record<string, readonly string[]>;
const KNOWN_TYPES = Object.keys(MATRIX);
const KNOWN_ACTIONS = [...new Set(Object.values(MATRIX).flat())];

/**
 * The reference model: read the role as written, every time. A pair is granted only if the matrix
 * has it and the role lists it; several entries for one pair give the most restrictive.
 */
function reference(role: MoniteRole, objectType: string, action: string): MonitePermissionValue {
  if (!Object.hasOwn(MATRIX, objectType) || !MATRIX[objectType].includes(action)) return 'not_allowed';
  let found: MonitePermissionValue | undefined;
  for (const object of role.permissions.objects) {
    if (object.object_type !== objectType) continue;
    for (const entry of object.actions) {
      if (entry.action_name !== action) continue;
      if (found === undefined || RANK[entry.permission] < RANK[found]) found = entry.permission;
    }
  }
  return found ?? 'not_allowed';
}

// Names that collide with Object.prototype must not be mistaken for matrix entries.
const unknownName = fc.oneof(
  fc.constantFrom(
    'widget',
    'payable_v2',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'PAYABLE',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const objectTypeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_TYPES) },
  { weight: 1, arbitrary: unknownName },
);
const actionArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_ACTIONS) },
  { weight: 1, arbitrary: unknownName },
);
const permissionArb = fc.constantFrom(...PERMISSIONS);

/** Well-formed roles: unknown object types and actions, duplicates of both, empty lists. */
const roleArb: fc.Arbitrary<MoniteRole> = fc
  .array(
    fc.record({
      object_type: objectTypeArb,
      actions: fc.array(fc.record({ action_name: actionArb, permission: permissionArb }), { maxLength: 12 }),
    }),
    { maxLength: 25 },
  )
  .map((objects) => ({ name: 'random', permissions: { objects } }));

const requestArb = fc.tuple(objectTypeArb, actionArb);

describe('compileRole', () => {
  // The parser logs every unknown name it meets; random roles have plenty.
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('agrees with the reference model on random roles and random requests', () => {
    fc.assert(
      fc.property(roleArb, fc.array(requestArb, { minLength: 1, maxLength: 30 }), (role, requests) => {
        const compiled = compileRole(role);
        for (const [objectType, action] of requests) {
          expect(compiled.permissionFor(objectType, action)).toBe(reference(role, objectType, action));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the reference model on every pair of the matrix', () => {
    fc.assert(
      fc.property(roleArb, (role) => {
        const compiled = compileRole(role);
        for (const [objectType, actions] of Object.entries(MATRIX)) {
          for (const action of actions) {
            const expected = reference(role, objectType, action);
            expect(compiled.permissionFor(objectType, action)).toBe(expected);
            expect(compiled.permissionAt(permissionPairId(objectType, action))).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same table after parsing (the parser drops only what compileRole ignores)', () => {
    fc.assert(
      fc.property(roleArb, requestArb, (role, [objectType, action]) => {
        expect(compileRole(parseMoniteRole(role)).permissionFor(objectType, action)).toBe(
          compileRole(role).permissionFor(objectType, action),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("48: a permission value that is not one of Monite's three denies its pair, whatever else the role says", () => {
    const role = {
      permissions: {
        objects: [
          {
            object_type: 'payable',
            actions: [
              { action_name: 'read', permission: 'allowed' },
              { action_name: 'read', permission: 'allowed_for_team' },
              { action_name: 'pay', permission: 'allowed' },
            ],
          },
        ],
      },
    } as unknown as MoniteRole;
    expect(compileRole(role).permissionFor('payable', 'read')).toBe('not_allowed');
    expect(compileRole(role).permissionFor('payable', 'pay')).toBe('allowed');
  });

  it('48: a role whose status is not active grants nothing and says so; no status is active', () => {
    const granting: MoniteRole = {
      permissions: {
        objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
      },
    };
    const deleted = compileRole({ ...granting, status: 'deleted' });
    expect(deleted.active).toBe(false);
    expect(deleted.permissionFor('payable', 'read')).toBe('not_allowed');
    expect(compileRole({ ...granting, status: 'active' }).permissionFor('payable', 'read')).toBe('allowed');
    expect(compileRole(granting).active).toBe(true);
  });

  it('the most restrictive duplicate wins, in either order', () => {
    const role = (first: MonitePermissionValue, second: MonitePermissionValue): MoniteRole => ({
      permissions: {
        objects: [
          { object_type: 'payable', actions: [{ action_name: 'pay', permission: first }] },
          { object_type: 'payable', actions: [{ action_name: 'pay', permission: second }] },
        ],
      },
    });
    expect(compileRole(role('allowed', 'not_allowed')).permissionFor('payable', 'pay')).toBe('not_allowed');
    expect(compileRole(role('not_allowed', 'allowed')).permissionFor('payable', 'pay')).toBe('not_allowed');
    expect(compileRole(role('allowed', 'allowed_for_own')).permissionFor('payable', 'pay')).toBe(
      'allowed_for_own',
    );
  });

  it('an unknown pair id, out of range or -1, is not_allowed', () => {
    const compiled = compileRole({
      permissions: {
        objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
      },
    });
    expect(compiled.permissionAt(-1)).toBe('not_allowed');
    expect(compiled.permissionAt(100_000)).toBe('not_allowed');
    expect(EMPTY_COMPILED_ROLE.permissionFor('payable', 'read')).toBe('not_allowed');
  });
});
