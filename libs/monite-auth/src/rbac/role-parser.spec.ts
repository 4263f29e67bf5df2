import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { MoniteMalformedResponseError } from '../errors/index.js';
import type { MonitePermissionValue } from '../monite-role.js';
import { compileRole } from './compiled-role.js';
import { MONITE_PERMISSION_MATRIX } from './permission-matrix.js';
import { parseMoniteRole } from './role-parser.js';

const validRole = () => ({
  id: 'role-1',
  name: 'Reader',
  status: 'active',
  created_at: '2024-01-01T00:00:00Z',
  permissions: {
    objects: [
      {
        object_type: 'payable',
        actions: [
          { action_name: 'read', permission: 'allowed' },
          { action_name: 'approve', permission: 'allowed_for_own' },
        ],
      },
    ],
  },
});

const roleOf = (...actions: unknown[]) => ({
  permissions: { objects: [{ object_type: 'payable', actions }] },
});
const permissionOf = (raw: unknown, action: string, objectType = 'payable') =>
  compileRole(parseMoniteRole(raw)).permissionFor(objectType, action);

describe('parseMoniteRole', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('keeps a valid role', () => {
    expect(parseMoniteRole(validRole())).toEqual({
      id: 'role-1',
      name: 'Reader',
      status: 'active',
      permissions: {
        objects: [
          {
            object_type: 'payable',
            actions: [
              { action_name: 'read', permission: 'allowed' },
              { action_name: 'approve', permission: 'allowed_for_own' },
            ],
          },
        ],
      },
    });
  });

  it('reads missing or null objects and actions lists as "nothing granted"', () => {
    expect(parseMoniteRole({ permissions: {} }).permissions.objects).toEqual([]);
    expect(parseMoniteRole({ permissions: { objects: null } }).permissions.objects).toEqual([]);
    expect(
      parseMoniteRole({ permissions: { objects: [{ object_type: 'tag' }] } }).permissions.objects,
    ).toEqual([{ object_type: 'tag', actions: [] }]);
  });

  it.each([
    ['not an object', 'nope'],
    ['null', null],
    ['a list', ['allowed']],
    ['an HTML page', '<html>502 Bad Gateway</html>'],
    ['no permissions', { name: 'x' }],
    ['permissions not an object', { permissions: 'all' }],
    ['objects not a list', { permissions: { objects: 'everything' } }],
  ])('a value that is not a role at all is malformed (the guard answers 503): %s', (_name, input) => {
    expect(() => parseMoniteRole(input)).toThrow(MoniteMalformedResponseError);
  });

  it('names the bad path, never the value', () => {
    expect(() => parseMoniteRole({ permissions: { objects: 'secret-ish' } })).toThrow(
      'Malformed Monite role: permissions.objects is invalid',
    );
    try {
      parseMoniteRole({ permissions: { objects: 'secret-ish' } });
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('secret-ish');
    }
  });

  it('rejects any random value without permissions', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        fc.pre(typeof value !== 'object' || value === null || !Object.hasOwn(value, 'permissions'));
        expect(() => parseMoniteRole(value)).toThrow(MoniteMalformedResponseError);
      }),
    );
  });

  it('48: finding "one unknown permission value makes the whole role 503": that pair is denied, the rest of the role works', () => {
    const raw = roleOf(
      { action_name: 'read', permission: 'allowed' },
      { action_name: 'approve', permission: 'allowed_for_team' },
      { action_name: 'pay', permission: 'allowed' },
    );
    expect(permissionOf(raw, 'read')).toBe('allowed');
    expect(permissionOf(raw, 'pay')).toBe('allowed');
    expect(permissionOf(raw, 'approve')).toBe('not_allowed');
  });

  it('48: an unknown, missing or odd-cased permission value denies its pair even where another entry allows it', () => {
    for (const odd of ['allowed_for_team', 'ALLOWED', undefined, null, true, 1]) {
      const raw = roleOf(
        { action_name: 'read', permission: 'allowed' },
        { action_name: 'read', permission: odd },
      );
      expect(permissionOf(raw, 'read')).toBe('not_allowed');
    }
  });

  it('48: an empty or missing action name, an odd-cased name, or an entry that is not an object grants nothing and breaks nothing', () => {
    const raw = roleOf(
      { action_name: '', permission: 'allowed' },
      { permission: 'allowed' },
      { action_name: 'READ', permission: 'allowed' },
      'approve',
      null,
      { action_name: 'read', permission: 'allowed' },
    );
    expect(permissionOf(raw, 'read')).toBe('allowed');
    expect(permissionOf(raw, 'approve')).toBe('not_allowed');
    expect(
      permissionOf(
        { permissions: { objects: [{ object_type: 'PAYABLE', actions: roleOf().permissions.objects }] } },
        'read',
      ),
    ).toBe('not_allowed');
  });

  it('48: an actions list that is not a list denies every action of its object type', () => {
    const raw = {
      permissions: {
        objects: [
          { object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] },
          { object_type: 'payable', actions: 'all' },
          { object_type: 'tag', actions: [{ action_name: 'read', permission: 'allowed' }] },
        ],
      },
    };
    expect(permissionOf(raw, 'read')).toBe('not_allowed');
    expect(permissionOf(raw, 'read', 'tag')).toBe('allowed');
  });

  it('48: __proto__ keys grant nothing: inherited permissions are not read, JSON "__proto__" is just a key', () => {
    const inherited = Object.create({ permission: 'allowed' }) as Record<string, unknown>;
    inherited.action_name = 'read';
    expect(permissionOf(roleOf(inherited), 'read')).toBe('not_allowed');

    const fromJson: unknown = JSON.parse(
      '{"permissions":{"objects":[{"object_type":"payable","actions":[{"action_name":"pay","__proto__":{"permission":"allowed"}}]},' +
        '{"object_type":"__proto__","actions":[{"action_name":"read","permission":"allowed"}]}]},"__proto__":{"status":"active"}}',
    );
    expect(permissionOf(fromJson, 'pay')).toBe('not_allowed');
    const inheritedRole = Object.create({ permissions: { objects: [] } }) as object;
    expect(() => parseMoniteRole(inheritedRole)).toThrow(MoniteMalformedResponseError);
  });

  it('48: finding "a role with status deleted is obeyed": any status but active grants nothing; no status is active', () => {
    const granting = validRole();
    for (const status of ['deleted', 'ACTIVE', 'suspended', '', null, 1]) {
      const compiled = compileRole(parseMoniteRole({ ...granting, status }));
      expect(compiled.active).toBe(false);
      expect(compiled.permissionFor('payable', 'read')).toBe('not_allowed');
    }
    const { status: _dropped, ...withoutStatus } = granting;
    expect(compileRole(parseMoniteRole(withoutStatus)).active).toBe(true);
    expect(compileRole(parseMoniteRole(withoutStatus)).permissionFor('payable', 'read')).toBe('allowed');
  });

  it('logs each distinct problem once, however often the role is loaded', () => {
    const raw = {
      permissions: {
        objects: [
          { object_type: 'hologram_parser', actions: [{ action_name: 'read', permission: 'allowed' }] },
          {
            object_type: 'payable',
            actions: [
              { action_name: 'teleport', permission: 'allowed' },
              { action_name: 'create', permission: 'allowed_for_everyone' },
            ],
          },
        ],
      },
    };
    for (let i = 0; i < 3; i++) parseMoniteRole(raw);
    const lines = warn.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('"hologram_parser"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"payable.teleport"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"allowed_for_everyone"'))).toHaveLength(1);
  });

  it('quotes a hostile name so it cannot forge a log line, and never calls its toString', () => {
    parseMoniteRole({ permissions: { objects: [{ object_type: 'x\n[Nest] FAKE line', actions: [] }] } });
    expect(String(warn.mock.calls[0][0])).not.toContain('\n');
    const hostile = {
      toString: () => {
        throw new Error('called');
      },
    };
    expect(() => parseMoniteRole(roleOf({ action_name: 'read', permission: hostile }))).not.toThrow();
  });
});

// --- 48 as a property: a reference reading of raw roles, pair by pair -----------------------------
const MATRIX = MONITE_PERMISSION_MATRIX as Record<string, readonly string[]>;
const RANK: Record<MonitePermissionValue, number> = { not_allowed: 0, allowed_for_own: 1, allowed: 2 };
const VALID = ['allowed', 'allowed_for_own', 'not_allowed'];
const plain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const ownValue = (record: Record<string, unknown>, key: string) =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** What a pair is worth in a raw role, read as docs/permissions.md says; `malformed` when it is no role. */
function referencePair(
  raw: unknown,
  objectType: string,
  action: string,
): MonitePermissionValue | 'malformed' {
  if (!plain(raw) || !plain(ownValue(raw, 'permissions'))) return 'malformed';
  const objects = ownValue(ownValue(raw, 'permissions') as Record<string, unknown>, 'objects');
  if (objects != null && !Array.isArray(objects)) return 'malformed';
  const status = ownValue(raw, 'status');
  if (!(MATRIX[objectType]?.includes(action) ?? false) || (status !== undefined && status !== 'active')) {
    return 'not_allowed';
  }
  let found: MonitePermissionValue | undefined;
  const restrict = (value: MonitePermissionValue) => {
    if (found === undefined || RANK[value] < RANK[found]) found = value;
  };
  for (const entry of (objects ?? []) as unknown[]) {
    if (!plain(entry) || ownValue(entry, 'object_type') !== objectType) continue;
    const actions = ownValue(entry, 'actions');
    if (actions == null) continue;
    if (!Array.isArray(actions)) {
      restrict('not_allowed');
      continue;
    }
    for (const item of actions as unknown[]) {
      if (!plain(item) || ownValue(item, 'action_name') !== action) continue;
      const permission = ownValue(item, 'permission');
      restrict(VALID.includes(permission as string) ? (permission as MonitePermissionValue) : 'not_allowed');
    }
  }
  return found ?? 'not_allowed';
}

const oddName = fc.constantFrom('', 'READ', 'PAYABLE', '__proto__', 'constructor', 'toString', 'payable_v2');
const typeArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('payable', 'tag', 'entity') }, oddName);
const actionNameArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('read', 'approve', 'update') },
  oddName,
);
const permissionValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID) },
  fc.constantFrom('allowed_for_team', 'ALLOWED', undefined, null, 0, true),
);
const actionArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ action_name: actionNameArb, permission: permissionValueArb }) },
  fc.record({ action_name: actionNameArb }),
  fc.constantFrom(null, 'read', 7, []),
  // An inherited permission, as an object literal with __proto__ would make.
  actionNameArb.map((name) =>
    Object.assign(Object.create({ permission: 'allowed' }) as object, { action_name: name }),
  ),
);
const objectArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      object_type: typeArb,
      actions: fc.oneof(
        { weight: 5, arbitrary: fc.array(actionArb, { maxLength: 6 }) },
        fc.constantFrom(null, 'all', 3),
      ),
    }),
  },
  fc.constantFrom(null, 'payable', 42, [], { actions: [] }),
);
const rawRoleArb = fc.record(
  {
    status: fc.constantFrom('active', 'deleted', 'ACTIVE', null, 1),
    permissions: fc.oneof(
      {
        weight: 9,
        arbitrary: fc.record(
          {
            objects: fc.oneof(
              { weight: 9, arbitrary: fc.array(objectArb, { maxLength: 6 }) },
              fc.constantFrom(null, 'x'),
            ),
          },
          { requiredKeys: [] },
        ),
      },
      fc.constantFrom(null, 'all'),
    ),
  },
  { requiredKeys: ['permissions'] },
);

describe('parseMoniteRole + compileRole against a reference reading (48)', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('48: on random raw roles (unknown values, odd casing, duplicates, __proto__, garbage entries) every pair agrees', () => {
    const pairs = [
      ['payable', 'read'],
      ['payable', 'approve'],
      ['tag', 'update'],
      ['entity', 'read'],
      ['entity', 'approve'],
    ] as const;
    fc.assert(
      fc.property(rawRoleArb, (raw) => {
        const expected = pairs.map(([type, action]) => referencePair(raw, type, action));
        if (expected[0] === 'malformed') {
          expect(() => parseMoniteRole(raw)).toThrow(MoniteMalformedResponseError);
          return;
        }
        const compiled = compileRole(parseMoniteRole(raw));
        expect(pairs.map(([type, action]) => compiled.permissionFor(type, action))).toEqual(expected);
      }),
      { numRuns: 1_000 },
    );
  });
});
