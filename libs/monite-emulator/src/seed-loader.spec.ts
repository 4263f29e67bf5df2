import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_PAYABLES, DEMO_ROLES, DEMO_SEED, DEMO_USERS } from './demo-seed.js';
import type { MoniteEmulatorSeed } from './emulator.types.js';
import { EMULATOR_PERMISSION_MATRIX } from './permission-matrix.js';
import { loadSeed, SeedError } from './seed-loader.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CANARY = 'canary-secret-7f3a9e';

function minimalSeed(): MoniteEmulatorSeed {
  return {
    clients: [{ clientId: '00000000-0000-4000-8000-000000000001', clientSecret: CANARY }],
    entities: [{ id: '00000000-0000-4000-8000-000000001001', name: 'E' }],
    roles: [
      {
        id: '00000000-0000-4000-8000-000000002001',
        entityId: '00000000-0000-4000-8000-000000001001',
        name: 'R',
        permissions: { objects: [] },
      },
    ],
    entityUsers: [
      {
        id: '00000000-0000-4000-8000-000000003001',
        entityId: '00000000-0000-4000-8000-000000001001',
        roleId: '00000000-0000-4000-8000-000000002001',
        name: 'U',
      },
    ],
  };
}

function problemsOf(seed: unknown): string[] {
  try {
    loadSeed(seed as MoniteEmulatorSeed);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    expect((error as Error).message).not.toContain(CANARY);
    return (error as SeedError).problems;
  }
  throw new Error('expected the seed to be refused');
}

describe('seed loading', () => {
  it('accepts the demo seed and a minimal seed, and returns a copy', () => {
    expect(loadSeed(DEMO_SEED)).toEqual(DEMO_SEED);
    const seed = minimalSeed();
    const loaded = loadSeed(seed);
    loaded.entities[0]!.name = 'changed';
    expect(seed.entities[0]!.name).toBe('E');
  });

  it('loads a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monite-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(minimalSeed()));
    expect(loadSeed(file).entityUsers[0]!.name).toBe('U');
  });

  it('explains an unreadable file or invalid JSON, naming the file', () => {
    expect(() => loadSeed('/nonexistent/seed.json')).toThrow(
      /\/nonexistent\/seed\.json.*cannot read the file \(ENOENT\)/s,
    );
    const dir = mkdtempSync(join(tmpdir(), 'monite-seed-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "clients": [');
    expect(() => loadSeed(file)).toThrow(/broken\.json.*not valid JSON/s);
  });

  it('lists every shape problem with its JSON path, without quoting the secret', () => {
    const seed = minimalSeed() as unknown as Record<string, any>;
    seed['clients'][0].clientId = 'client-1';
    seed['roles'][0].permissions.objects = [
      { object_type: 'payable', actions: [{ action_name: 'read', permission: 'maybe' }] },
    ];
    seed['entityUsers'][0].nickname = 'x';
    delete seed['entities'][0].name;
    expect(problemsOf(seed)).toEqual([
      'clients[0].clientId: must be a UUID',
      'entities[0].name: required',
      'roles[0].permissions.objects[0].actions[0].permission: must be one of allowed, allowed_for_own, not_allowed',
      'entityUsers[0]: unknown field(s) "nickname"',
    ]);
  });

  it("checks references: entities, roles in the user's entity, payable creators, duplicates", () => {
    const seed = minimalSeed();
    seed.entities.push({ id: '00000000-0000-4000-8000-000000001002', name: 'Other' });
    seed.roles.push({
      ...seed.roles[0]!,
      id: '00000000-0000-4000-8000-000000002002',
      entityId: '00000000-0000-4000-8000-000000001002',
    });
    seed.entityUsers.push({
      id: '00000000-0000-4000-8000-000000003002',
      entityId: '00000000-0000-4000-8000-000000001001',
      roleId: '00000000-0000-4000-8000-000000002002',
      name: 'V',
    });
    seed.entityUsers.push({
      id: '00000000-0000-4000-8000-000000003001',
      entityId: '00000000-0000-4000-8000-000000001009',
      name: 'W',
    });
    seed.payables = [
      {
        id: '00000000-0000-4000-8000-000000004001',
        entityId: '00000000-0000-4000-8000-000000001002',
        was_created_by_user_id: '00000000-0000-4000-8000-000000003001',
        amount: 1,
        currency: 'EUR',
        status: 'new',
      },
    ];
    expect(problemsOf(seed)).toEqual([
      'entityUsers[2]: duplicate id 00000000-0000-4000-8000-000000003001',
      'entityUsers[1].roleId: role 00000000-0000-4000-8000-000000002002 belongs to another entity',
      'entityUsers[2].entityId: no entity 00000000-0000-4000-8000-000000001009',
      'payables[0].was_created_by_user_id: user 00000000-0000-4000-8000-000000003001 belongs to another entity',
    ]);
  });

  it('refuses unknown payable statuses and non-integer amounts', () => {
    const seed = minimalSeed();
    seed.payables = [
      {
        id: '00000000-0000-4000-8000-000000004001',
        entityId: seed.entities[0]!.id,
        was_created_by_user_id: null,
        amount: 1.5,
        currency: 'EUR',
        status: 'approved',
      },
    ];
    expect(problemsOf(seed)).toEqual([
      'payables[0].amount: must be an integer (minor units)',
      expect.stringMatching(/^payables\[0\]\.status: must be one of draft, new, /),
    ]);
  });
});

describe('DEMO constants', () => {
  it('use fixed, valid v4 UUIDs', () => {
    const ids = [
      DEMO_CLIENT.clientId,
      ...Object.values(DEMO_ENTITIES).map((e) => e.id),
      ...Object.values(DEMO_ROLES).map((r) => r.id),
      ...Object.values(DEMO_USERS).map((u) => u.id),
      ...Object.values(DEMO_PAYABLES).map((p) => p.id),
    ];
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(DEMO_CLIENT).toEqual({
      clientId: '00000000-0000-4000-8000-000000000001',
      clientSecret: 'demo-secret-not-for-production',
    });
    expect(DEMO_USERS.alice.id).toBe('00000000-0000-4000-8000-000000003001');
  });

  it('the admin role allows everything in the matrix; DEMO_USERS agree with DEMO_SEED', () => {
    const admin = DEMO_ROLES.admin.permissions.objects;
    expect(admin.map((o) => o.object_type).sort()).toEqual(Object.keys(EMULATOR_PERMISSION_MATRIX).sort());
    for (const object of admin) {
      expect(object.actions.map((a) => a.action_name)).toEqual(
        EMULATOR_PERMISSION_MATRIX[object.object_type],
      );
      expect(object.actions.every((a) => a.permission === 'allowed')).toBe(true);
    }
    for (const user of Object.values(DEMO_USERS)) {
      const seeded = DEMO_SEED.entityUsers.find((u) => u.id === user.id)!;
      expect(seeded.roleId).toBe(user.roleId);
      const role = Object.values(DEMO_ROLES).find((r) => r.id === user.roleId);
      expect(role?.name ?? null).toBe(user.roleName);
    }
  });

  it('payables were created by different users in both entities, and by the partner', () => {
    const creators = new Set(Object.values(DEMO_PAYABLES).map((p) => p.was_created_by_user_id));
    expect(creators.has(null)).toBe(true);
    expect(creators.size).toBeGreaterThanOrEqual(5);
    expect(new Set(Object.values(DEMO_PAYABLES).map((p) => p.entityId))).toEqual(
      new Set([DEMO_ENTITIES.acme.id, DEMO_ENTITIES.globex.id]),
    );
  });
});
