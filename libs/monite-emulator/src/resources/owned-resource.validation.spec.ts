import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_OBJECTS } from '../demo-objects.js';
import { DEMO_ENTITIES, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator } from '../emulator.types.js';
import { ApiClient } from '../testing/api-client.js';
import { SAMPLE_BODIES } from '../testing/sample-bodies.js';
import { OWNED_RESOURCES } from './owned-resources.js';

const acme = DEMO_ENTITIES.acme.id;
const cases = OWNED_RESOURCES.map((spec) => [spec.objectType, spec] as const);

describe('owned object routes: bodies, lists and limits', () => {
  let emulator: MoniteEmulator;
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
    api = new ApiClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    token = emulator.issueToken({ entityUserId: DEMO_USERS.alice.id }).access_token;
  });
  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, path, { token, entityId: acme, ...(body === undefined ? {} : { body }) });

  describe.each(cases)('%s', (type, spec) => {
    const sample = SAMPLE_BODIES[type]!;

    it('422 with Monite detail for each required field left out, nothing stored', async () => {
      for (const field of sample.required) {
        const { [field]: _left, ...body } = sample.create;
        const res = await call('POST', spec.path, body);
        expect(res.status).toBe(422);
        expect(res.body.detail).toEqual(
          expect.arrayContaining([{ loc: ['body', field], msg: 'Field required', type: 'missing' }]),
        );
      }
      const missingBody = await call('POST', spec.path);
      expect(missingBody.status).toBe(422);
      expect(missingBody.body.detail[0].loc[0]).toBe('body');
    });

    it('an unknown field: 422 extra_forbidden where Monite forbids extra fields', async () => {
      const res = await call('POST', spec.path, { ...sample.create, surprise: 'x' });
      if (type === 'payables_purchase_order') {
        expect(res.status).toBe(201); // no additionalProperties: false in Monite's schema
        return;
      }
      expect(res.status).toBe(422);
      expect(res.body.detail).toContainEqual({
        loc: ['body', 'surprise'],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      });
      expect(JSON.stringify(res.body)).not.toContain('"x"');
    });

    it("a path id that is not a UUID: 422 naming Monite's parameter", async () => {
      const res = await call('GET', `${spec.path}/not-an-id`);
      expect(res.status).toBe(422);
      expect(res.body.detail[0]).toMatchObject({ loc: ['path', spec.idName], type: 'uuid_parsing' });
    });

    it.each(['GET', 'POST'])(
      '%s on the collection answers with the rate-limit headers, then 429',
      async (method) => {
        const limited = await startMoniteEmulator({ port: 0, rateLimitPerSecond: 1 });
        try {
          const client = new ApiClient(limited);
          const partner = limited.issueToken().access_token;
          const path = `${spec.path}${method === 'GET' && sample.listQuery ? `?${sample.listQuery}` : ''}`;
          const send = () =>
            client.call(method, path, {
              token: partner,
              entityId: acme,
              ...(method === 'POST' ? { body: sample.create } : {}),
            });
          const first = await send();
          expect(first.status).toBeLessThan(300);
          expect(first.headers.get('ratelimit-limit')).toBe('1');
          expect(first.headers.get('x-ratelimit-remaining-second')).toBe('0');
          const second = await send();
          expect(second.status).toBe(429);
          expect(second.body).toEqual({ error: { message: 'API rate limit exceeded' } });
          expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
        } finally {
          await limited.close();
        }
      },
    );
  });

  it('lists page with limit and pagination_token; persons answer one page', async () => {
    for (let i = 0; i < 3; i++) await call('POST', '/tags', { name: `Tag ${i}` });
    const first = await call('GET', '/tags?limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.prev_pagination_token).toBeNull();
    const second = await call('GET', `/tags?pagination_token=${first.body.next_pagination_token}`);
    expect(second.body.data).toHaveLength(2);
    const third = await call('GET', `/tags?pagination_token=${second.body.next_pagination_token}`);
    expect(third.body.next_pagination_token).toBeNull();
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map(
      (t: { id: string }) => t.id,
    );
    expect(new Set(ids).size).toBe(6);
    expect((await call('GET', '/tags?limit=0')).status).toBe(422);
    const persons = await call('GET', '/persons');
    expect(Object.keys(persons.body)).toEqual(['data']);
  });

  it('list filters: the creator, and the query comments cannot do without', async () => {
    const carol = DEMO_USERS.carol.id;
    const tags = await call('GET', `/tags?created_by_entity_user_id=${carol.toUpperCase()}`);
    expect(tags.body.data.map((t: { id: string }) => t.id)).toEqual([DEMO_OBJECTS.tags.carol.id]);
    const receivables = await call('GET', `/receivables?entity_user_id=${carol}`);
    expect(receivables.body.data.map((t: { id: string }) => t.id)).toEqual([
      DEMO_OBJECTS.receivables.carol.id,
    ]);
    const comments = await call('GET', '/comments?object_type=payable');
    expect(comments.status).toBe(422);
    expect(comments.body.detail).toEqual([
      { loc: ['query', 'object_id'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it('creates answer as Monite: the object (201, persons 200), an export only its id', async () => {
    const exported = await call('POST', '/data_exports', SAMPLE_BODIES['export']!.create);
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual({ id: expect.any(String) });
    expect(emulator.getObject('export', exported.body.id)).toMatchObject({
      status: 'pending',
      format: 'csv',
    });
    const person = await call('POST', '/persons', SAMPLE_BODIES['person']!.create);
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ first_name: 'Ada', created_by_entity_user_id: DEMO_USERS.alice.id });
  });

  it('PATCH merges nested objects, and a union body reports the closest alternative', async () => {
    const { id } = DEMO_OBJECTS.counterparts.alice;
    const res = await call('PATCH', `/counterparts/${id}`, { organization: { legal_name: 'Initech AG' } });
    expect(res.body.organization).toMatchObject({
      legal_name: 'Initech AG',
      is_vendor: false,
      address: expect.any(Object),
    });
    const bad = await call('POST', '/counterparts', {
      type: 'organization',
      organization: { legal_name: 'X' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContainEqual({
      loc: ['body', 'organization', 'is_customer'],
      msg: 'Field required',
      type: 'missing',
    });
  });

  it('payment records: the partner may name the creator, a user is always its own creator', async () => {
    const body = { ...SAMPLE_BODIES['payment_record']!.create, entity_user_id: DEMO_USERS.carol.id };
    const partner = emulator.issueToken().access_token;
    const byPartner = await api.call('POST', '/payment_records', { token: partner, entityId: acme, body });
    expect(byPartner.body.entity_user_id).toBe(DEMO_USERS.carol.id);
    const byAlice = await call('POST', '/payment_records', body);
    expect(byAlice.body.entity_user_id).toBe(DEMO_USERS.alice.id);
    const foreign = { ...body, entity_user_id: DEMO_USERS.grace.id };
    const refused = await api.call('POST', '/payment_records', {
      token: partner,
      entityId: acme,
      body: foreign,
    });
    expect(refused.status).toBe(422);
  });
});
