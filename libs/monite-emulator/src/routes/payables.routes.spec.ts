import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_ENTITIES, DEMO_PAYABLES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient } from '../testing/api-client.js';

const acme = DEMO_ENTITIES.acme.id;
const globex = DEMO_ENTITIES.globex.id;
const ACME_PAYABLES = Object.values(DEMO_PAYABLES)
  .filter((p) => p.entityId === acme)
  .map((p) => p.id)
  .sort();

describe('/v1/payables with role enforcement', () => {
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
    for (const name of Object.keys(DEMO_USERS) as (keyof typeof DEMO_USERS)[])
      tokens[name] = await api.userToken(name);
  });

  const as = (who: string, method: string, path: string, body?: unknown, entityId = acme) =>
    api.call(method, `/payables${path}`, {
      token: tokens[who]!,
      entityId,
      ...(body === undefined ? {} : { body }),
    });
  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((p) => p.id).sort();

  describe('allowed', () => {
    it('an admin lists, reads and acts on every payable of the entity', async () => {
      expect(ids(await as('alice', 'GET', ''))).toEqual(ACME_PAYABLES);
      expect((await as('alice', 'GET', `/${DEMO_PAYABLES.carolNew.id}`)).status).toBe(200);
      expect((await as('alice', 'POST', `/${DEMO_PAYABLES.carolNew.id}/approve`)).status).toBe(200);
    });

    it('an approver approves payables other users created', async () => {
      const res = await as('bob', 'POST', `/${DEMO_PAYABLES.frankNew.id}/approve`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('waiting_to_be_paid');
      expect(res.body.was_created_by_user_id).toBe(DEMO_USERS.frank.id);
    });
  });

  describe('allowed_for_own', () => {
    it('lists only the payables the user created', async () => {
      expect(ids(await as('carol', 'GET', ''))).toEqual(
        [DEMO_PAYABLES.carolNew.id, DEMO_PAYABLES.carolApproved.id].sort(),
      );
      expect(ids(await as('frank', 'GET', ''))).toEqual([DEMO_PAYABLES.frankNew.id]);
    });

    it("own object: 200; another user's: 403; one with no creator (partner-made): 403", async () => {
      expect((await as('carol', 'GET', `/${DEMO_PAYABLES.carolNew.id}`)).status).toBe(200);
      const other = await as('carol', 'GET', `/${DEMO_PAYABLES.frankNew.id}`);
      expect(other.status).toBe(403);
      expect(other.body).toEqual({ error: { message: 'Action read for payable not allowed' } });
      expect((await as('carol', 'GET', `/${DEMO_PAYABLES.partnerNew.id}`)).status).toBe(403);
    });

    it('update and delete own only', async () => {
      const own = await as('carol', 'PATCH', `/${DEMO_PAYABLES.carolNew.id}`, {
        amount: 130_000,
        description: 'More chairs',
      });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ amount: 130_000, description: 'More chairs' });
      const other = await as('carol', 'PATCH', `/${DEMO_PAYABLES.frankNew.id}`, { amount: 1 });
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe('Action update for payable not allowed');
      expect((await as('carol', 'DELETE', `/${DEMO_PAYABLES.frankNew.id}`)).status).toBe(403);
      expect((await as('carol', 'DELETE', `/${DEMO_PAYABLES.carolNew.id}`)).status).toBe(204);
      expect(emulator.getPayable(DEMO_PAYABLES.carolNew.id)).toBeUndefined();
      expect(emulator.getPayable(DEMO_PAYABLES.frankNew.id)).toMatchObject({ amount: 9_900 });
    });

    it('create records the user as creator, and the user then sees it', async () => {
      const created = await as('carol', 'POST', '', {
        amount: 4_200,
        currency: 'EUR',
        description: 'Printer paper',
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        entity_id: acme,
        status: 'new',
        amount: 4_200,
        currency: 'EUR',
        was_created_by_user_id: DEMO_USERS.carol.id,
      });
      expect(ids(await as('carol', 'GET', ''))).toContain(created.body.id);
      expect((await as('frank', 'GET', `/${created.body.id}`)).status).toBe(403);
    });
  });

  describe('not_allowed and missing', () => {
    it('an explicit not_allowed: 403 "Action approve for payable not allowed"', async () => {
      const res = await as('carol', 'POST', `/${DEMO_PAYABLES.carolNew.id}/approve`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { message: 'Action approve for payable not allowed' } });
      expect(emulator.getPayable(DEMO_PAYABLES.carolNew.id)).toMatchObject({ status: 'new' });
    });

    it('an action the role does not list: 403', async () => {
      const res = await as('dave', 'POST', '', { amount: 1, currency: 'EUR' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Action create for payable not allowed');
      expect((await as('erin', 'POST', `/${DEMO_PAYABLES.carolApproved.id}/pay`)).body.error.message).toBe(
        'Action pay for payable not allowed',
      );
      expect((await as('erin', 'DELETE', `/${DEMO_PAYABLES.aliceDraft.id}`)).status).toBe(403);
    });

    it('a user without a role: 403 on everything, lists included', async () => {
      const res = await as('nora', 'GET', '');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Action read for payable not allowed');
    });

    it('permission is checked before existence: no probing for ids', async () => {
      expect((await as('nora', 'GET', '/00000000-0000-4000-8000-000000009999')).status).toBe(403);
      expect((await as('alice', 'GET', '/00000000-0000-4000-8000-000000009999')).status).toBe(404);
    });
  });

  describe('partner token', () => {
    it('may do everything; what it creates has no creator', async () => {
      expect(ids(await as('partner', 'GET', ''))).toEqual(ACME_PAYABLES);
      const created = await as('partner', 'POST', '', { amount: 100, currency: 'USD' });
      expect(created.status).toBe(200);
      expect(created.body.was_created_by_user_id).toBeNull();
      expect((await as('partner', 'POST', `/${created.body.id}/approve`)).status).toBe(200);
      expect((await as('partner', 'POST', `/${created.body.id}/pay`)).body.status).toBe('paid');
    });
  });

  describe('entity scope', () => {
    it('a user token naming another entity: 403', async () => {
      const res = await as('carol', 'GET', '', undefined, globex);
      expect(res.status).toBe(403);
    });

    it('a partner token naming an entity that does not exist: 404', async () => {
      const res = await as('partner', 'GET', '', undefined, '00000000-0000-4000-8000-000000001999');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { message: 'Entity not found' } });
    });

    it('a payable of another entity does not exist for the caller: 404', async () => {
      expect((await as('alice', 'GET', `/${DEMO_PAYABLES.heidiNew.id}`)).status).toBe(404);
      expect((await as('partner', 'GET', `/${DEMO_PAYABLES.heidiNew.id}`)).status).toBe(404);
      expect((await as('partner', 'GET', `/${DEMO_PAYABLES.heidiNew.id}`, undefined, globex)).status).toBe(
        200,
      );
    });

    it('x-monite-entity-id missing or not a UUID: 422', async () => {
      const missing = await api.call('GET', '/payables', { token: tokens['alice']! });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toEqual([
        { loc: ['header', 'x-monite-entity-id'], msg: 'Field required', type: 'missing' },
      ]);
      const bad = await api.call('GET', '/payables', { token: tokens['alice']!, entityId: 'acme' });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].type).toBe('uuid_parsing');
    });

    it('a user of the other entity sees only its own entity', async () => {
      const heidi = await as('heidi', 'GET', '', undefined, globex);
      expect(ids(heidi)).toEqual([DEMO_PAYABLES.heidiNew.id]);
      expect((await as('grace', 'GET', '', undefined, globex)).body.data).toHaveLength(3);
    });
  });

  describe('status transitions (new -> waiting_to_be_paid -> paid)', () => {
    it('approve then pay; approving a paid payable or paying a new one: 409', async () => {
      const paid = await as('bob', 'POST', `/${DEMO_PAYABLES.bobPaid.id}/approve`);
      expect(paid.status).toBe(409);
      expect(paid.body.error.message).toBe('A payable in status paid cannot be approved');
      const early = await as('dave', 'POST', `/${DEMO_PAYABLES.frankNew.id}/pay`);
      expect(early.status).toBe(409);
      expect((await as('bob', 'POST', `/${DEMO_PAYABLES.frankNew.id}/approve`)).status).toBe(200);
      const done = await as('dave', 'POST', `/${DEMO_PAYABLES.frankNew.id}/pay`);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'paid',
        marked_as_paid_by_entity_user_id: DEMO_USERS.dave.id,
      });
      expect((await as('dave', 'POST', `/${DEMO_PAYABLES.frankNew.id}/pay`)).status).toBe(409);
    });

    it('a draft cannot be approved; paid payables cannot be edited or deleted', async () => {
      expect((await as('alice', 'POST', `/${DEMO_PAYABLES.aliceDraft.id}/approve`)).status).toBe(409);
      expect((await as('alice', 'PATCH', `/${DEMO_PAYABLES.bobPaid.id}`, { amount: 1 })).status).toBe(409);
      expect((await as('alice', 'DELETE', `/${DEMO_PAYABLES.bobPaid.id}`)).status).toBe(409);
    });
  });

  describe('validation and lists', () => {
    it.each([
      [{ currency: 'EUR' }, ['body', 'amount'], 'missing'],
      [{ amount: 1.5, currency: 'EUR' }, ['body', 'amount'], 'int_type'],
      [{ amount: 1, currency: 'euro' }, ['body', 'currency'], 'string_pattern_mismatch'],
      [
        { amount: 1, currency: 'EUR', was_created_by_user_id: DEMO_USERS.bob.id },
        ['body', 'was_created_by_user_id'],
        'extra_forbidden',
      ],
    ])('POST %j: 422', async (body, loc, type) => {
      const res = await as('alice', 'POST', '', body);
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc, type })]));
    });

    it('a non-UUID id: 422 at path.payable_id', async () => {
      const res = await as('alice', 'GET', '/42');
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['path', 'payable_id']);
    });

    it('paginates with opaque tokens, keeping limit and filters', async () => {
      const first = await as('alice', 'GET', '?limit=4');
      expect(first.body.data).toHaveLength(4);
      expect(first.body.prev_pagination_token).toBeNull();
      expect(first.body.next_pagination_token).toEqual(expect.any(String));
      const second = await as('alice', 'GET', `?pagination_token=${first.body.next_pagination_token}`);
      expect(second.body.data).toHaveLength(2);
      expect(second.body.next_pagination_token).toBeNull();
      expect(second.body.prev_pagination_token).toEqual(expect.any(String));
      expect([...ids(first), ...ids(second)].sort()).toEqual(ACME_PAYABLES);
      const news = await as('alice', 'GET', '?status=new&limit=1');
      expect(news.body.data[0].status).toBe('new');
      const next = await as('alice', 'GET', `?pagination_token=${news.body.next_pagination_token}`);
      expect(next.body.data[0].status).toBe('new');
      expect((await as('alice', 'GET', '?pagination_token=garbage')).status).toBe(422);
      expect((await as('alice', 'GET', '?limit=0')).status).toBe(422);
      expect((await as('alice', 'GET', '?status=approved')).status).toBe(422);
    });
  });
});
