import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_OBJECTS } from '../demo-objects.js';
import { DEMO_ENTITIES, DEMO_ROLES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient, type ApiResponse } from '../testing/api-client.js';
import { SAMPLE_BODIES } from '../testing/sample-bodies.js';
import { OWNED_RESOURCES } from './owned-resources.js';

const acme = DEMO_ENTITIES.acme.id;
const globex = DEMO_ENTITIES.globex.id;
type Who = 'partner' | keyof typeof DEMO_USERS;

describe.each(OWNED_RESOURCES.map((spec) => [spec.objectType, spec] as const))(
  '/v1 routes of %s with role enforcement',
  (type, spec) => {
    let emulator: MoniteEmulator;
    let api: ApiClient;
    const objects = DEMO_OBJECTS[spec.seedKey];
    const sample = SAMPLE_BODIES[type]!;
    const listPath = `${spec.path}${sample.listQuery ? `?${sample.listQuery}` : ''}`;
    const denied = (action: string) => ({ error: { message: `Action ${action} for ${type} not allowed` } });

    beforeAll(async () => {
      emulator = await startMoniteEmulator({ port: 0 });
      api = new ApiClient(emulator);
    });
    afterAll(() => emulator.close());
    beforeEach(() => emulator.reset());

    const tokenOf = (who: Who): string =>
      emulator.issueToken(who === 'partner' ? {} : { entityUserId: DEMO_USERS[who].id }).access_token;
    const as = (
      who: Who,
      method: string,
      path: string,
      body?: unknown,
      entityId = acme,
    ): Promise<ApiResponse> =>
      api.call(method, path, { token: tokenOf(who), entityId, ...(body === undefined ? {} : { body }) });
    const listed = async (who: Who): Promise<string[]> => {
      const res = await as(who, 'GET', listPath);
      expect(res.status).toBe(200);
      return (res.body.data as { id: string }[]).map((o) => o.id).toSorted();
    };
    const item = (id: string) => `${spec.path}/${id}`;
    /** The caller's-entity demo objects a list with the sample's query shows. */
    const query = [...new URLSearchParams(sample.listQuery ?? '')];
    const visible = [objects.carol, objects.alice, objects.partner]
      .filter((o) => query.every(([key, value]) => o[key] === value))
      .map((o) => o.id)
      .toSorted();
    const mine = (res: ApiResponse) => res.body[spec.creatorField];
    /** Gives Alice's admin role exactly these grants for this object type. */
    const grant = (actions: Record<string, 'allowed' | 'allowed_for_own' | 'not_allowed'>) =>
      emulator.setRolePermissions(DEMO_ROLES.admin.id, {
        objects: [
          {
            object_type: type,
            actions: Object.entries(actions).map(([action_name, permission]) => ({
              action_name,
              permission,
            })),
          },
        ],
      });

    it('allowed: the admin lists, reads, changes and creates; the new object is hers', async () => {
      expect(visible.length).toBeGreaterThanOrEqual(2);
      expect(await listed('alice')).toEqual(visible);
      const read = await as('alice', 'GET', item(objects.carol.id));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: objects.carol.id,
        entity_id: acme,
        [spec.creatorField]: DEMO_USERS.carol.id,
      });
      if (spec.update)
        expect((await as('alice', 'PATCH', item(objects.carol.id), sample.update)).status).toBe(200);
      if (spec.remove) {
        expect((await as('alice', 'DELETE', item(objects.partner.id))).status).toBe(204);
        expect(emulator.getObject(type, objects.partner.id)).toBeUndefined();
      }
      const created = await as('alice', 'POST', spec.path, sample.create);
      expect(created.status).toBe(spec.create.status);
      expect(emulator.getObject(type, created.body.id)).toMatchObject({
        entity_id: acme,
        [spec.creatorField]: DEMO_USERS.alice.id,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it("allowed_for_own: lists only the caller's; own object yes, another user's or the partner's 403", async () => {
      expect(await listed('carol')).toEqual([objects.carol.id]);
      expect((await as('carol', 'GET', item(objects.carol.id))).status).toBe(200);
      for (const other of [objects.alice.id, objects.partner.id]) {
        const res = await as('carol', 'GET', item(other));
        expect(res.status).toBe(403);
        expect(res.body).toEqual(denied('read'));
      }
      if (spec.update) {
        const own = await as('carol', 'PATCH', item(objects.carol.id), sample.update);
        expect(own.status).toBe(200);
        expect(mine(own)).toBe(DEMO_USERS.carol.id);
        const other = await as('carol', 'PATCH', item(objects.alice.id), sample.update);
        expect([other.status, other.body]).toEqual([403, denied('update')]);
      }
      if (spec.remove) {
        expect((await as('carol', 'DELETE', item(objects.alice.id))).status).toBe(403);
        expect(emulator.getObject(type, objects.alice.id)).toBeDefined();
        expect((await as('carol', 'DELETE', item(objects.carol.id))).status).toBe(204);
      }
      const created = await as('carol', 'POST', spec.path, sample.create);
      expect(created.status).toBe(spec.create.status);
      expect(emulator.getObject(type, created.body.id)).toMatchObject({
        [spec.creatorField]: DEMO_USERS.carol.id,
      });
      expect((await as('carol', 'GET', item(created.body.id))).status).toBe(200);
      expect((await as('frank', 'GET', item(created.body.id))).status).toBe(403);
    });

    it('not_allowed and a missing pair: 403 on every route, nothing changes', async () => {
      grant({ read: 'not_allowed', create: 'not_allowed', update: 'not_allowed', delete: 'not_allowed' });
      const before = emulator.getObject(type, objects.alice.id);
      const listedBefore = await listed('partner');
      expect((await as('alice', 'GET', listPath)).body).toEqual(denied('read'));
      expect((await as('alice', 'GET', item(objects.alice.id))).status).toBe(403);
      expect((await as('alice', 'POST', spec.path, sample.create)).body).toEqual(denied('create'));
      if (spec.update)
        expect((await as('alice', 'PATCH', item(objects.alice.id), sample.update)).body).toEqual(
          denied('update'),
        );
      if (spec.remove)
        expect((await as('alice', 'DELETE', item(objects.alice.id))).body).toEqual(denied('delete'));
      expect(emulator.getObject(type, objects.alice.id)).toEqual(before);
      expect(await listed('partner')).toEqual(listedBefore);
      grant({ create: 'allowed' }); // lists only another action of the type
      expect((await as('alice', 'GET', item(objects.alice.id))).body).toEqual(denied('read'));
      // A user without a role may do nothing.
      expect((await as('nora', 'GET', listPath)).status).toBe(403);
      expect((await as('nora', 'POST', spec.path, sample.create)).status).toBe(403);
    });

    it('the partner token does everything; what it creates belongs to nobody', async () => {
      expect(await listed('partner')).toEqual(visible);
      expect((await as('partner', 'GET', item(objects.carol.id))).status).toBe(200);
      if (spec.update)
        expect((await as('partner', 'PATCH', item(objects.carol.id), sample.update)).status).toBe(200);
      const created = await as('partner', 'POST', spec.path, sample.create);
      expect(created.status).toBe(spec.create.status);
      expect(emulator.getObject(type, created.body.id)).toMatchObject({ [spec.creatorField]: null });
      // Nobody owns it, so allowed_for_own users cannot touch it.
      expect((await as('carol', 'GET', item(created.body.id))).status).toBe(403);
      if (spec.remove) expect((await as('partner', 'DELETE', item(objects.carol.id))).status).toBe(204);
    });

    it("another entity's object: 404 in the caller's entity, 403 when a user names the other entity", async () => {
      const notFound = await as('alice', 'GET', item(objects.globex.id));
      expect([notFound.status, notFound.body]).toEqual([
        404,
        { error: { message: `${spec.label} not found` } },
      ]);
      expect((await as('partner', 'GET', item(objects.globex.id))).status).toBe(404);
      if (spec.update)
        expect((await as('alice', 'PATCH', item(objects.globex.id), sample.update)).status).toBe(404);
      if (spec.remove) expect((await as('alice', 'DELETE', item(objects.globex.id))).status).toBe(404);
      expect((await as('alice', 'GET', item(objects.globex.id), undefined, globex)).status).toBe(403);
      expect((await as('grace', 'GET', item(objects.globex.id), undefined, globex)).status).toBe(200);
      expect(emulator.getObject(type, objects.globex.id)).toBeDefined();
      expect(await listed('partner')).not.toContain(objects.globex.id);
    });
  },
);
