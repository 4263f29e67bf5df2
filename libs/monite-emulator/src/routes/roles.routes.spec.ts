import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_ENTITIES, DEMO_PAYABLES, DEMO_ROLES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient } from '../testing/api-client.js';

const acme = DEMO_ENTITIES.acme.id;
const ACME_ROLES = Object.values(DEMO_ROLES)
  .filter((r) => r.entityId === acme)
  .map((r) => r.id)
  .sort();

describe('/v1/roles', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  const tokens: Record<string, string> = {};
  const readOnlyPayables = {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
  };

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    tokens['partner'] = await api.partnerToken();
    for (const name of ['alice', 'carol', 'erin', 'frank'] as const) tokens[name] = await api.userToken(name);
  });

  const as = (who: string, method: string, path: string, body?: unknown) =>
    api.call(method, `/roles${path}`, {
      token: tokens[who]!,
      entityId: acme,
      ...(body === undefined ? {} : { body }),
    });

  it("lists the entity's roles in Monite's paginated shape", async () => {
    const res = await as('partner', 'GET', '');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: expect.any(Array),
      prev_pagination_token: null,
      next_pagination_token: null,
    });
    expect(res.body.data.map((r: { id: string }) => r.id).sort()).toEqual(ACME_ROLES);
    expect(res.body.data[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      permissions: { objects: expect.any(Array) },
      status: 'active',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('allowed_for_own read: only the role the user holds', async () => {
    const res = await as('carol', 'GET', '');
    expect(res.body.data.map((r: { id: string }) => r.id)).toEqual([DEMO_ROLES.apClerk.id]);
    expect((await as('carol', 'GET', `/${DEMO_ROLES.apClerk.id}`)).status).toBe(200);
    const other = await as('carol', 'GET', `/${DEMO_ROLES.admin.id}`);
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error: { message: 'Action read for role not allowed' } });
  });

  it('no role permission: 403; read-only: cannot create', async () => {
    expect((await as('frank', 'GET', '')).status).toBe(403);
    const res = await as('erin', 'POST', '', { name: 'X', permissions: readOnlyPayables });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Action create for role not allowed');
  });

  it('create, read, update, delete', async () => {
    const created = await as('alice', 'POST', '', { name: 'Payables reader', permissions: readOnlyPayables });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'Payables reader',
      permissions: readOnlyPayables,
      status: 'active',
    });
    const id = created.body.id as string;
    expect((await as('alice', 'GET', `/${id}`)).body.name).toBe('Payables reader');
    const renamed = await as('alice', 'PATCH', `/${id}`, { name: 'Reader' });
    expect(renamed.body).toMatchObject({ name: 'Reader', permissions: readOnlyPayables });
    expect((await as('alice', 'DELETE', `/${id}`)).status).toBe(204);
    expect((await as('alice', 'GET', `/${id}`)).status).toBe(404);
  });

  it('deleting a role in use: 409', async () => {
    const res = await as('alice', 'DELETE', `/${DEMO_ROLES.apClerk.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/assigned to 1 entity user/);
  });

  it('a role change takes effect on the next request of its holders', async () => {
    expect(
      (
        await api.call('GET', `/payables/${DEMO_PAYABLES.frankNew.id}`, {
          token: tokens['carol']!,
          entityId: acme,
        })
      ).status,
    ).toBe(403);
    const res = await as('alice', 'PATCH', `/${DEMO_ROLES.apClerk.id}`, { permissions: readOnlyPayables });
    expect(res.status).toBe(200);
    expect(
      (
        await api.call('GET', `/payables/${DEMO_PAYABLES.frankNew.id}`, {
          token: tokens['carol']!,
          entityId: acme,
        })
      ).status,
    ).toBe(200);
    emulator.setRolePermissions(DEMO_ROLES.apClerk.id, { objects: [] });
    expect((await api.call('GET', '/payables', { token: tokens['carol']!, entityId: acme })).status).toBe(
      403,
    );
  });

  it.each([
    ['no name', { permissions: readOnlyPayables }, ['body', 'name'], 'missing'],
    ['an empty name', { name: ' ', permissions: readOnlyPayables }, ['body', 'name'], 'string_too_short'],
    [
      'a bad permission',
      {
        name: 'X',
        permissions: {
          objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'yes' }] }],
        },
      },
      ['body', 'permissions', 'objects', 0, 'actions', 0, 'permission'],
      'enum',
    ],
    [
      'an unknown field',
      { name: 'X', permissions: readOnlyPayables, owner: 'me' },
      ['body', 'owner'],
      'extra_forbidden',
    ],
    [
      'a duplicated object_type',
      { name: 'X', permissions: { objects: [readOnlyPayables.objects[0], readOnlyPayables.objects[0]] } },
      ['body', 'permissions', 'objects', 1, 'object_type'],
      'value_error',
    ],
    [
      'a non-snake_case object_type',
      { name: 'X', permissions: { objects: [{ object_type: 'Payable!', actions: [] }] } },
      ['body', 'permissions', 'objects', 0, 'object_type'],
      'string_pattern_mismatch',
    ],
  ])('422 for %s', async (_case, body, loc, type) => {
    const res = await as('alice', 'POST', '', body);
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc, type })]));
  });

  it('roles of another entity do not exist here', async () => {
    expect((await as('alice', 'GET', `/${DEMO_ROLES.globexAdmin.id}`)).status).toBe(404);
  });

  it('setUserRole refuses unknown users and roles of other entities', () => {
    expect(() => emulator.setUserRole(DEMO_USERS.alice.id, DEMO_ROLES.globexAdmin.id)).toThrow(
      /another entity/,
    );
    expect(() => emulator.setUserRole('00000000-0000-4000-8000-000000009999', null)).toThrow(
      /no entity user/,
    );
  });
});
