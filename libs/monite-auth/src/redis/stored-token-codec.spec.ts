import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { StoredToken } from '../tokens/monite-token-store.js';
import { SealingKeyring } from './sealing-keys.js';
import { StoredTokenCodec } from './stored-token-codec.js';

const token: StoredToken = {
  accessToken: 'tok-abc',
  tokenType: 'Bearer',
  expiresAt: 2_000,
  refreshAt: 1_000,
};
const codecWith = (...keys: Buffer[]) => new StoredTokenCodec(new SealingKeyring(keys));
const [K1, K2] = [randomBytes(32), randomBytes(32)];

describe('StoredTokenCodec', () => {
  it('opens what it sealed, under the same Redis key only', () => {
    const codec = codecWith(K1);
    const { value } = codec.encode('p:entry:a', token)!;
    expect(codec.decode('p:entry:a', value)).toEqual(token);
    expect(codec.decode('p:entry:b', value)).toBeUndefined();
    expect(value).not.toContain(token.accessToken);
  });

  it('reads values sealed with any key of its ring, writes with the first', () => {
    const rotating = codecWith(K2, K1);
    const fromOld = codecWith(K1).encode('k', token)!.value;
    const fromNew = rotating.encode('k', token)!.value;
    expect(rotating.decode('k', fromOld)).toEqual(token);
    expect(codecWith(K2).decode('k', fromNew)).toEqual(token);
    expect(codecWith(K1).decode('k', fromNew)).toBeUndefined();
  });

  it('with a handed-over key only: seals with it; without any key: seals nothing', () => {
    const ring = new SealingKeyring([]);
    const codec = new StoredTokenCodec(ring);
    expect(codec.encode('k', token)).toBeUndefined();
    ring.useDerived(randomBytes(32));
    expect(codec.decode('k', codec.encode('k', token)!.value)).toEqual(token);
  });

  it('never trusts a plaintext value, whatever it holds', () => {
    const codec = codecWith(K1);
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (id, body) => {
        expect(codec.decode('k', `${id}.${JSON.stringify(body)}`)).toBeUndefined();
      }),
    );
  });

  it('any one-character change to a sealed value reads as a miss (or, at most, as the same token)', () => {
    const codec = codecWith(K1);
    const { value } = codec.encode('k', token)!;
    fc.assert(
      fc.property(fc.nat(value.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, char) => {
        const changed = value.slice(0, at) + char + value.slice(at + 1);
        const read = codec.decode('k', changed);
        expect(read === undefined || read.accessToken === token.accessToken).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
