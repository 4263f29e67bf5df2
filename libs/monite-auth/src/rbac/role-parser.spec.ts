import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { MoniteMalformedResponseError } from '../errors/index.js';
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

describe('parseMoniteRole', () => {
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
    ['an HTML page', '<html>502 Bad Gateway</html>'],
    ['no permissions', { name: 'x' }],
    ['objects not an array', { permissions: { objects: {} } }],
    ['object without object_type', { permissions: { objects: [{ actions: [] }] } }],
    ['actions not an array', { permissions: { objects: [{ object_type: 'payable', actions: 'all' }] } }],
    [
      'action without name',
      { permissions: { objects: [{ object_type: 'payable', actions: [{ permission: 'allowed' }] }] } },
    ],
    [
      'action without permission (Monite would default it to allowed)',
      { permissions: { objects: [{ object_type: 'payable', actions: [{ action_name: 'read' }] }] } },
    ],
    [
      'unknown permission value',
      {
        permissions: {
          objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'yes' }] }],
        },
      },
    ],
    [
      'permission of the wrong type',
      {
        permissions: {
          objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: true }] }],
        },
      },
    ],
  ])('rejects a malformed role: %s', (_name, input) => {
    expect(() => parseMoniteRole(input)).toThrow(MoniteMalformedResponseError);
  });

  it('names the bad path, never the value', () => {
    const input = {
      permissions: {
        objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'secret-ish' }] }],
      },
    };
    expect(() => parseMoniteRole(input)).toThrow(
      'Malformed Monite role: permissions.objects.0.actions.0.permission is invalid',
    );
    try {
      parseMoniteRole(input);
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('secret-ish');
    }
  });

  it('rejects any random non-role value', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        fc.pre(typeof value !== 'object' || value === null || !('permissions' in value));
        expect(() => parseMoniteRole(value)).toThrow(MoniteMalformedResponseError);
      }),
    );
  });

  it('drops unknown object types and actions, logging each distinct name once', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const role = {
      permissions: {
        objects: [
          { object_type: 'hologram_parser', actions: [{ action_name: 'read', permission: 'allowed' }] },
          {
            object_type: 'payable',
            actions: [
              { action_name: 'teleport', permission: 'allowed' },
              { action_name: 'read', permission: 'allowed' },
            ],
          },
        ],
      },
    };
    const parsed = parseMoniteRole(role);
    parseMoniteRole(role);
    parseMoniteRole(role);
    expect(parsed.permissions.objects).toEqual([
      { object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] },
    ]);
    const lines = warn.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('"hologram_parser"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"payable.teleport"'))).toHaveLength(1);
  });

  it('quotes a hostile name so it cannot forge a log line', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    parseMoniteRole({ permissions: { objects: [{ object_type: 'x\n[Nest] FAKE line', actions: [] }] } });
    expect(String(warn.mock.calls[0][0])).not.toContain('\n');
  });
});
