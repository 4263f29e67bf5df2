import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_ENTITIES, DEMO_ROLES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient } from '../testing/api-client.js';

const acme = DEMO_ENTITIES.acme.id;
const ACME_USERS = Object.values(DEMO_USERS)
  .filter((u) => u.entityId === acme)
  .map((u) => u.id)
  .sort();

describe('/v1/entity_users', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    tokens['partner'] = await api.partnerToken();
    for (const name of ['alice', 'bob', 'carol', 'frank', 'nora', 'grace'] as const)
      tokens[name] = await api.userToken(name);
  });

  const as = (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    entityId: string | undefined = acme,
  ) =>
    api.call(method, `/entity_users${path}`, {
      token: tokens[who]!,
      ...(entityId ? { entityId } : {}),
      ...(body === undefined ? {} : { body }),
    });

  describe('/me, /my_role, /my_entity (entity-user token, no entity header)', () => {
    it("/me returns the caller in Monite's shape", async () => {
      const res = await as('carol', 'GET', '/me', undefined, undefined);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: DEMO_USERS.carol.id,
        first_name: 'Carol',
        last_name: 'Clerk',
        login: 'carol',
        email: 'carol@acme.example',
        phone: null,
        title: null,
        role_id: DEMO_ROLES.apClerk.id,
        status: 'active',
        userpic_file_id: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it("/my_role returns the caller's role, and reflects a role change at once", async () => {
      const res = await as('bob', 'GET', '/my_role', undefined, undefined);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: DEMO_ROLES.approver.id, name: 'Approver', status: 'active' });
      expect(res.body.permissions).toEqual(DEMO_ROLES.approver.permissions);
      emulator.setUserRole(DEMO_USERS.bob.id, DEMO_ROLES.auditor.id);
      expect((await as('bob', 'GET', '/my_role', undefined, undefined)).body.id).toBe(DEMO_ROLES.auditor.id);
    });

    it('/my_role for a user without a role: the default role, which allows nothing', async () => {
      const res = await as('nora', 'GET', '/my_role', undefined, undefined);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: '00000000-0000-0000-0000-000000000000',
        permissions: { objects: [] },
      });
    });

    it("/my_entity returns the caller's entity", async () => {
      const res = await as('grace', 'GET', '/my_entity', undefined, undefined);
      expect(res.body).toMatchObject({ id: DEMO_ENTITIES.globex.id, name: DEMO_ENTITIES.globex.name });
    });

    it.each(['/me', '/my_role', '/my_entity'])('%s with a partner token: 400', async (path) => {
      const res = await as('partner', 'GET', path, undefined, undefined);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/entity user token/);
    });
  });

  describe('list and read', () => {
    it('partner and a user with read allowed see every user of the entity', async () => {
      for (const who of ['partner', 'alice', 'bob']) {
        const res = await as(who, 'GET', '');
        expect(res.status).toBe(200);
        expect(res.body.data.map((u: { id: string }) => u.id).sort()).toEqual(ACME_USERS);
      }
    });

    it('allowed_for_own: only the user itself, in lists and by id', async () => {
      const res = await as('carol', 'GET', '');
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual([DEMO_USERS.carol.id]);
      expect((await as('carol', 'GET', `/${DEMO_USERS.carol.id}`)).status).toBe(200);
      const other = await as('carol', 'GET', `/${DEMO_USERS.alice.id}`);
      expect(other.status).toBe(403);
      expect(other.body).toEqual({ error: { message: 'Action read for entity_user not allowed' } });
    });

    it('no entity_user permission: 403', async () => {
      expect((await as('frank', 'GET', '')).status).toBe(403);
      expect((await as('nora', 'GET', `/${DEMO_USERS.nora.id}`)).status).toBe(403);
    });

    it('filters by role_id and paginates', async () => {
      const res = await as('alice', 'GET', `?role_id=${DEMO_ROLES.apClerk.id}`);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual([DEMO_USERS.carol.id]);
      const page = await as('alice', 'GET', '?limit=5');
      expect(page.body.data).toHaveLength(5);
      expect(page.body.next_pagination_token).toEqual(expect.any(String));
    });

    it('a user of another entity by id: 404; a user naming another entity: 403', async () => {
      expect((await as('alice', 'GET', `/${DEMO_USERS.grace.id}`)).status).toBe(404);
      expect((await as('alice', 'GET', '', undefined, DEMO_ENTITIES.globex.id)).status).toBe(403);
    });
  });

  describe('create, update, delete', () => {
    const newUser = { first_name: 'Oscar', last_name: 'New', login: 'oscar', role_id: DEMO_ROLES.apClerk.id };

    it('partner and admin create users (200, Monite returns 200 on create)', async () => {
      const res = await as('partner', 'POST', '', newUser);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ first_name: 'Oscar', login: 'oscar', role_id: DEMO_ROLES.apClerk.id });
      const byAdmin = await as('alice', 'POST', '', { ...newUser, login: 'oscar2' });
      expect(byAdmin.status).toBe(200);
      const token = await api.userToken({ id: res.body.id });
      expect((await api.call('GET', '/entity_users/me', { token })).body.login).toBe('oscar');
    });

    it('allowed_for_own cannot create (a new user is never the caller itself); no permission: 403', async () => {
      expect((await as('carol', 'POST', '', newUser)).body).toEqual({
        error: { message: 'Action create for entity_user not allowed' },
      });
      expect((await as('bob', 'POST', '', newUser)).status).toBe(403);
    });

    it('validates the body: 422; an unknown role or a taken login are refused', async () => {
      const missing = await as('alice', 'POST', '', { first_name: 'X' });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toEqual([
        { loc: ['body', 'login'], msg: 'Field required', type: 'missing' },
      ]);
      expect((await as('alice', 'POST', '', { ...newUser, is_admin: true })).status).toBe(422);
      expect((await as('alice', 'POST', '', { ...newUser, email: 'not-an-email' })).status).toBe(422);
      const foreignRole = await as('alice', 'POST', '', { ...newUser, role_id: DEMO_ROLES.globexAdmin.id });
      expect(foreignRole.status).toBe(422);
      expect(foreignRole.body.detail[0].loc).toEqual(['body', 'role_id']);
      expect((await as('alice', 'POST', '', { ...newUser, login: 'carol' })).status).toBe(409);
    });

    it('allowed_for_own update: own fields yes, own role no, others no', async () => {
      const own = await as('carol', 'PATCH', `/${DEMO_USERS.carol.id}`, { title: 'Senior clerk' });
      expect(own.status).toBe(200);
      expect(own.body.title).toBe('Senior clerk');
      const escalate = await as('carol', 'PATCH', `/${DEMO_USERS.carol.id}`, {
        role_id: DEMO_ROLES.admin.id,
      });
      expect(escalate.status).toBe(403);
      expect((await as('carol', 'GET', '/my_role', undefined, undefined)).body.id).toBe(
        DEMO_ROLES.apClerk.id,
      );
      expect((await as('carol', 'PATCH', `/${DEMO_USERS.bob.id}`, { title: 'x' })).status).toBe(403);
    });

    it("an admin changes another user's role; it applies to that user's next request", async () => {
      const res = await as('alice', 'PATCH', `/${DEMO_USERS.frank.id}`, { role_id: DEMO_ROLES.admin.id });
      expect(res.status).toBe(200);
      const frank = await api.userToken('frank');
      expect((await api.call('GET', '/entity_users', { token: frank, entityId: acme })).status).toBe(200);
    });

    it("delete: 204, then 404; the deleted user's token is refused", async () => {
      const frank = await api.userToken('frank');
      expect((await as('alice', 'DELETE', `/${DEMO_USERS.frank.id}`)).status).toBe(204);
      expect((await as('alice', 'GET', `/${DEMO_USERS.frank.id}`)).status).toBe(404);
      expect((await api.call('GET', '/entity_users/me', { token: frank })).status).toBe(401);
      expect((await as('bob', 'DELETE', `/${DEMO_USERS.carol.id}`)).status).toBe(403);
    });
  });
});
