import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { readInvalidation, signInvalidation, verifyInvalidation } from './invalidation-message.js';
import { SealingKeyring } from './sealing-keys.js';

const USER = '00000000-0000-4000-a000-0000000000aa';
const ring = new SealingKeyring([randomBytes(32)]);
const envelope = {
  sender: 's',
  nonce: 'n',
  sentAt: 1,
  invalidation: { kind: 'entity_user', entityUserId: USER },
} as const;

describe('invalidation messages', () => {
  it('verify what was signed with a key of the ring; nothing else', () => {
    const message = signInvalidation(ring.writer!, envelope);
    expect(verifyInvalidation(ring, message)).toEqual(envelope);
    expect(verifyInvalidation(new SealingKeyring([randomBytes(32)]), message)).toBeUndefined();
    const [version, keyId, payload, mac] = message.split('.');
    const other = Buffer.from(JSON.stringify({ s: 's', n: 'm', t: 1, i: { kind: 'all' } })).toString(
      'base64url',
    );
    expect(verifyInvalidation(ring, [version, keyId, other, mac].join('.'))).toBeUndefined();
    expect(verifyInvalidation(ring, [version, keyId, payload].join('.'))).toBeUndefined();
  });

  it('random input never verifies', () => {
    fc.assert(fc.property(fc.string(), (message) => verifyInvalidation(ring, message) === undefined));
  });

  it('read only the three kinds, ids normalised, nothing else passed through', () => {
    expect(readInvalidation({ kind: 'entity_user', entityUserId: USER.toUpperCase(), extra: 1 })).toEqual({
      kind: 'entity_user',
      entityUserId: USER,
    });
    expect(readInvalidation({ kind: 'entity', entityId: 'not-a-uuid' })).toBeUndefined();
    expect(readInvalidation({ kind: 'all', entityId: USER })).toEqual({ kind: 'all' });
    for (const odd of [
      null,
      'all',
      ['all'],
      { kind: '__proto__' },
      JSON.parse('{"__proto__":{"kind":"all"}}'),
    ]) {
      expect(readInvalidation(odd)).toBeUndefined();
    }
  });
});
