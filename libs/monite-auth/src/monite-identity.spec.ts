import fc from 'fast-check';
import { isMonitePartner, moniteAsPartner, normalizeMoniteId, readMoniteCaller } from './monite-identity.js';

const REFERENCE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER = '00000000-0000-4000-8000-00000000ABCD';
const ENTITY = '00000000-0000-4000-8000-0000000000EF';

describe('normalizeMoniteId', () => {
  it('44: agrees with a reference regular expression on random strings, and lower-cases UUIDs', () => {
    const uuidLike = fc
      .array(fc.constantFrom(...'0123456789abcdefABCDEFg-_ .%'), { minLength: 36, maxLength: 36 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.string(),
          uuidLike,
          fc.uuid().map((id) => id.toUpperCase()),
        ),
        (value) => {
          const normalized = normalizeMoniteId(value);
          if (REFERENCE_UUID.test(value)) expect(normalized).toBe(value.toLowerCase());
          else expect(normalized).toBeUndefined();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('rejects what is not a string', () => {
    for (const value of [undefined, null, 42, {}, [USER], Symbol('x')]) {
      expect(normalizeMoniteId(value)).toBeUndefined();
    }
  });
});

describe('readMoniteCaller', () => {
  it('44: one identity, one spelling: mixed case reads as lower case, in a fresh object', () => {
    const raw = { entityUserId: USER, entityId: ENTITY, extra: 'session data' };
    const reading = readMoniteCaller(raw);
    expect(reading.caller).toEqual({ entityUserId: USER.toLowerCase(), entityId: ENTITY.toLowerCase() });
    expect(reading.caller).not.toBe(raw);
  });

  it('nothing, or not an object, is no user; an id that is not a UUID is invalid', () => {
    for (const value of [undefined, null, 'user', 7, {}, { entityUserId: USER }]) {
      expect(readMoniteCaller(value).problem).toBe('no_user');
    }
    for (const value of [
      { entityUserId: 'alice', entityId: ENTITY },
      { entityUserId: USER, entityId: 'acme' },
      { entityUserId: `${USER} `, entityId: ENTITY },
      { entityUserId: 42, entityId: ENTITY },
    ]) {
      expect(readMoniteCaller(value).problem).toBe('invalid_id');
    }
  });

  it('the partner caller is its own case; the deprecated empty-id form reads as the partner', () => {
    const typed = readMoniteCaller(moniteAsPartner(ENTITY)).caller;
    expect(isMonitePartner(typed)).toBe(true);
    expect(typed).toEqual({ partner: true, entityId: ENTITY.toLowerCase() });
    const deprecated = readMoniteCaller({ entityUserId: '', entityId: ENTITY }).caller;
    expect(isMonitePartner(deprecated)).toBe(true);
    expect(isMonitePartner(readMoniteCaller({ entityUserId: USER, entityId: ENTITY }).caller)).toBe(false);
  });
});

describe('readMoniteCaller with ids known to be canonical', () => {
  it('44: reads the same as without them, for any input, when `known` vouches only for normalised pairs', () => {
    const pairs = new Set([`${USER.toLowerCase()} ${ENTITY.toLowerCase()}`]);
    const known = (entityUserId: string, entityId: string) => pairs.has(`${entityUserId} ${entityId}`);
    const spelled = (id: string) => fc.constantFrom(id, id.toLowerCase(), id.toUpperCase(), '', 'x');
    fc.assert(
      fc.property(
        fc.record(
          { entityUserId: spelled(USER), entityId: spelled(ENTITY), partner: fc.constantFrom(true, false) },
          { requiredKeys: [] },
        ),
        (value) => {
          expect(readMoniteCaller(value, known)).toEqual(readMoniteCaller(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('skips the scan for a known pair, and still gives a fresh object', () => {
    const raw = { entityUserId: USER.toLowerCase(), entityId: ENTITY.toLowerCase() };
    const reading = readMoniteCaller(raw, () => true);
    expect(reading.caller).toEqual(raw);
    expect(reading.caller).not.toBe(raw);
  });
});
