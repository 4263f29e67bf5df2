import fc from 'fast-check';
import { MonitePermissionError, MoniteValidationError } from '../errors/index.js';
import type { MoniteSecurityModel } from '../monite-auth.options.js';
import { moniteAsPartner } from '../monite-identity.js';
import type { MoniteTokenService } from '../tokens/monite-token.service.js';
import { fetchCallCredentials, readCallTarget } from './monite-call-credentials.js';

const USER = '00000000-0000-4000-8000-00000000abcd';
const ENTITY = '00000000-0000-4000-8000-0000000000ef';
const OTHER_ENTITY = '00000000-0000-4000-8000-0000000000aa';
const MODELS: MoniteSecurityModel[] = ['monite-managed', 'partner-managed', 'hybrid'];
const user = { entityUserId: USER, entityId: ENTITY };
/** `id` with the letters `upper` marks in upper case. */
const spell = (id: string, upper: boolean[]) =>
  [...id].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('');

describe('readCallTarget', () => {
  it('an entity user is an entity user, whatever the model', () => {
    for (const model of MODELS) {
      expect(readCallTarget({ user }, model)).toEqual({
        kind: 'entity_user',
        entityUserId: USER,
        entityId: ENTITY,
      });
    }
  });

  it('moniteAsPartner(entityId) is the partner on that entity, whatever the model', () => {
    for (const model of MODELS) {
      expect(readCallTarget({ user: moniteAsPartner(ENTITY) }, model)).toEqual({
        kind: 'partner',
        entityId: ENTITY,
      });
    }
  });

  it('monite-managed: a call without a user is a TypeError unless it says asPartner: true', () => {
    expect(() => readCallTarget({}, 'monite-managed')).toThrow(TypeError);
    expect(() => readCallTarget({ entityId: ENTITY }, 'monite-managed')).toThrow(/asPartner/);
    expect(() => readCallTarget({ entityId: ENTITY, asPartner: 'yes' as never }, 'monite-managed')).toThrow(
      TypeError,
    );
    expect(readCallTarget({ entityId: ENTITY, asPartner: true }, 'monite-managed')).toEqual({
      kind: 'partner',
      entityId: ENTITY,
    });
    expect(readCallTarget({ asPartner: true }, 'monite-managed')).toEqual({ kind: 'partner' });
  });

  it('partner-managed and hybrid: a call without a user is a partner call', () => {
    expect(readCallTarget({ entityId: ENTITY }, 'partner-managed')).toEqual({
      kind: 'partner',
      entityId: ENTITY,
    });
    expect(readCallTarget({}, 'hybrid')).toEqual({ kind: 'partner' });
  });

  it('asPartner with an entity user is a TypeError', () => {
    expect(() => readCallTarget({ user, asPartner: true }, 'hybrid')).toThrow(/exclude/);
  });

  it('a user that is not a caller is a TypeError; an id that is not a UUID is a MoniteValidationError', () => {
    for (const bad of [{}, { entityUserId: USER }, 'user', 7]) {
      expect(() => readCallTarget({ user: bad as never }, 'hybrid')).toThrow(TypeError);
    }
    for (const bad of [
      { entityUserId: 'not-a-uuid', entityId: ENTITY },
      { entityUserId: USER, entityId: '../roles' },
      { entityUserId: `${USER} `, entityId: ENTITY },
    ]) {
      expect(() => readCallTarget({ user: bad }, 'monite-managed')).toThrow(MoniteValidationError);
    }
    expect(() => readCallTarget({ entityId: 'acme', asPartner: true }, 'monite-managed')).toThrow(
      MoniteValidationError,
    );
  });

  it('the error never quotes the id', () => {
    expect(() =>
      readCallTarget({ user: { entityUserId: 'sk_live_123', entityId: ENTITY } }, 'hybrid'),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('sk_live_123') }));
  });

  it("a call naming another entity than its caller's is a MonitePermissionError", () => {
    expect(() => readCallTarget({ user, entityId: OTHER_ENTITY }, 'monite-managed')).toThrow(
      MonitePermissionError,
    );
    expect(() => readCallTarget({ user: moniteAsPartner(ENTITY), entityId: OTHER_ENTITY }, 'hybrid')).toThrow(
      MonitePermissionError,
    );
  });

  it('44: ids are compared and sent in one spelling, whatever their letter case', () => {
    const casing = fc.array(fc.boolean(), { minLength: 36, maxLength: 36 });
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), casing, casing, casing, (userId, entityId, a, b, c) => {
        const target = readCallTarget(
          {
            user: { entityUserId: spell(userId, a), entityId: spell(entityId, b) },
            entityId: spell(entityId, c),
          },
          'monite-managed',
        );
        expect(target).toEqual({ kind: 'entity_user', entityUserId: userId, entityId });
      }),
    );
  });
});

describe('fetchCallCredentials', () => {
  const tokens = {
    getPartnerToken: async () => ({ accessToken: 'partner', tokenType: 'Bearer', expiresAt: 0 }),
    getEntityUserToken: async (id: string) => ({
      accessToken: `user:${id}`,
      tokenType: 'Bearer',
      expiresAt: 0,
    }),
  } as unknown as MoniteTokenService;
  const userTarget = { kind: 'entity_user', entityUserId: USER, entityId: ENTITY } as const;

  it("the user's own token in monite-managed and hybrid, with the user's entity", async () => {
    for (const model of ['monite-managed', 'hybrid'] as const) {
      const credentials = await fetchCallCredentials(userTarget, model, tokens);
      expect(credentials.token.accessToken).toBe(`user:${USER}`);
      expect(credentials).toMatchObject({ entityId: ENTITY, entityUserId: USER });
    }
  });

  it("the partner token on the user's entity in partner-managed, and for the partner everywhere", async () => {
    const scoped = await fetchCallCredentials(userTarget, 'partner-managed', tokens);
    expect(scoped.token.accessToken).toBe('partner');
    expect(scoped.entityId).toBe(ENTITY);
    expect(scoped.entityUserId).toBeUndefined();
    for (const model of MODELS) {
      const partner = await fetchCallCredentials({ kind: 'partner', entityId: ENTITY }, model, tokens);
      expect(partner.token.accessToken).toBe('partner');
      expect(partner.entityId).toBe(ENTITY);
    }
  });
});
