import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_OBJECTS } from '../demo-objects.js';
import { DEMO_ENTITIES, DEMO_SEED, DEMO_USERS } from '../demo-seed.js';
import { startMoniteEmulator } from '../emulator.js';
import type { MoniteEmulator, MoniteEmulatorSeed } from '../emulator.types.js';
import { OWNED_RESOURCES } from '../resources/owned-resources.js';
import { loadSeed, SeedError } from '../seed-loader.js';

const OBJECT = '00000000-0000-4000-8000-00000000a001';

function problemsOf(seed: unknown): string[] {
  try {
    loadSeed(seed as MoniteEmulatorSeed);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as SeedError).problems;
  }
  return [];
}

describe('seeds of the owned object types', () => {
  it('the demo seed has four objects of every owned type, and loads', () => {
    for (const spec of OWNED_RESOURCES) expect(DEMO_SEED[spec.seedKey]).toHaveLength(4);
    expect(() => loadSeed(DEMO_SEED)).not.toThrow();
  });

  it('refuses a creator of another entity, an unknown creator or entity, a duplicate id, a bad creator', () => {
    const base = structuredClone(DEMO_SEED);
    const acme = DEMO_ENTITIES.acme.id;
    const seed = {
      ...base,
      receivables: [
        { id: OBJECT, entityId: acme, entity_user_id: DEMO_USERS.heidi.id, type: 'invoice' },
        { id: OBJECT.toUpperCase(), entityId: acme, entity_user_id: null },
        {
          id: '00000000-0000-4000-8000-00000000a002',
          entityId: acme,
          entity_user_id: '00000000-0000-4000-8000-00000000ffff',
        },
        {
          id: '00000000-0000-4000-8000-00000000a003',
          entityId: '00000000-0000-4000-8000-00000000eeee',
          entity_user_id: null,
        },
      ],
      approvalPolicies: [{ id: OBJECT, entityId: acme, created_by: 'alice' }],
    };
    expect(problemsOf(seed)).toEqual(['approvalPolicies[0].created_by: must be a UUID']);
    delete (seed as Partial<typeof seed>).approvalPolicies;
    expect(problemsOf(seed)).toEqual([
      `receivables[1]: duplicate id ${OBJECT.toUpperCase()}`,
      `receivables[0].entity_user_id: user ${DEMO_USERS.heidi.id} belongs to another entity`,
      'receivables[2].entity_user_id: no entity user 00000000-0000-4000-8000-00000000ffff',
      'receivables[3].entityId: no entity 00000000-0000-4000-8000-00000000eeee',
    ]);
  });

  it('the creator field is required (null for the partner) and a misspelt array is refused', () => {
    const base = structuredClone(DEMO_SEED);
    expect(
      problemsOf({ ...base, tags: [{ id: OBJECT, entityId: DEMO_ENTITIES.acme.id, name: 'x' }] }),
    ).toEqual(['tags[0].created_by_entity_user_id: required']);
    expect(problemsOf({ ...base, receivable: [] })).toEqual(['(root): unknown field(s) "receivable"']);
  });

  describe('served as seeded', () => {
    let emulator: MoniteEmulator;
    beforeAll(async () => {
      emulator = await startMoniteEmulator({ port: 0 });
    });
    afterAll(() => emulator.close());

    it('fields returned as given, ids lower-cased, timestamps defaulted', () => {
      const { carol } = DEMO_OBJECTS.products;
      expect(emulator.getObject('product', carol.id.toUpperCase())).toEqual({
        ...Object.fromEntries(Object.entries(carol).filter(([k]) => k !== 'entityId')),
        entity_id: DEMO_ENTITIES.acme.id,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(emulator.getObject('product', DEMO_OBJECTS.products.partner.id)).toMatchObject({
        entity_user_id: null,
      });
      expect(() => emulator.getObject('hologram', carol.id)).toThrow(/no owned object type hologram/);
    });
  });
});
