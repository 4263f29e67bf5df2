import { inspect } from 'node:util';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { InMemoryTokenStore } from './in-memory-token-store.js';
import type { StoredToken } from './monite-token-store.js';
import { TokenCacheKeys } from './token-cache-key.js';

const keys = new TokenCacheKeys({
  tokenUrl: 'u',
  clientId: 'c',
  apiVersion: 'v',
  profile: 'monite',
  scope: [],
});
const user = (n: number) => keys.entityUser(`a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

function setup(options: { maxEntityUserTokens?: number; maxPartnerTokens?: number } = {}) {
  const clock = new VirtualMoniteClock();
  const store = new InMemoryTokenStore({ clock, ...options });
  const token = (accessToken: string, lifetimeMs = 60_000): StoredToken => ({
    accessToken,
    tokenType: 'Bearer',
    expiresAt: clock.now() + lifetimeMs,
    refreshAt: clock.now() + lifetimeMs - 10_000,
  });
  return { clock, store, token };
}

describe('InMemoryTokenStore', () => {
  it('get and peek answer the same, until expiresAt (exclusive)', async () => {
    const { clock, store, token } = setup();
    const stored = token('tok-a');
    await store.set(keys.partner(), stored);
    expect(store.peek(keys.partner())).toEqual(stored);
    await expect(store.get(keys.partner())).resolves.toEqual(stored);
    clock.advance(59_999);
    expect(store.peek(keys.partner())).toEqual(stored);
    clock.advance(1);
    expect(store.peek(keys.partner())).toBeUndefined();
  });

  it('a token already expired is not stored', async () => {
    const { store, token } = setup();
    await store.set(keys.partner(), token('tok-old', 0));
    expect(store.size).toEqual({ entityUserTokens: 0, partnerTokens: 0 });
  });

  it('12: entity-user tokens are bounded; the partner token lives in its own LRU that user churn never touches', async () => {
    const { store, token } = setup({ maxEntityUserTokens: 3 });
    await store.set(keys.partner(), token('tok-partner'));
    for (let n = 1; n <= 10; n++) await store.set(user(n), token(`tok-${n}`));
    expect(store.size).toEqual({ entityUserTokens: 3, partnerTokens: 1 });
    expect(store.peek(user(1))).toBeUndefined();
    expect(store.peek(user(10))?.accessToken).toBe('tok-10');
    expect(store.peek(keys.partner())?.accessToken).toBe('tok-partner');
  });

  it('11: the wall clock set back does not keep a token past its real (elapsed) expiry', async () => {
    const { clock, store, token } = setup();
    await store.set(keys.partner(), token('tok-a'));
    clock.jumpWall(-3_600_000);
    clock.advance(30_000);
    const shifted = store.peek(keys.partner())!;
    expect(shifted.expiresAt - clock.now()).toBe(30_000);
    clock.advance(30_000);
    expect(store.peek(keys.partner())).toBeUndefined();
  });

  it('28: deleteToken evicts every key holding the token, found by its index', async () => {
    const { store, token } = setup();
    await store.set(user(1), token('tok-shared'));
    await store.set(user(2), token('tok-shared'));
    await store.set(user(3), token('tok-other'));
    await store.deleteToken('tok-shared');
    expect(store.peek(user(1))).toBeUndefined();
    expect(store.peek(user(2))).toBeUndefined();
    expect(store.peek(user(3))?.accessToken).toBe('tok-other');
  });

  it('45: deleteToken(token, key) deletes the entry at key only while it still holds that token', async () => {
    const { store, token } = setup();
    await store.set(user(1), token('tok-1'));
    await store.deleteToken('tok-unrelated', user(1));
    expect(store.peek(user(1))?.accessToken).toBe('tok-1');
    await store.deleteToken('tok-1', user(1));
    expect(store.peek(user(1))).toBeUndefined();
  });

  it('a replaced token leaves the index: deleting the old one no longer touches its key', async () => {
    const { store, token } = setup();
    await store.set(user(1), token('tok-old'));
    await store.set(user(1), token('tok-new'));
    await store.deleteToken('tok-old');
    expect(store.peek(user(1))?.accessToken).toBe('tok-new');
  });

  it('stored tokens are frozen copies', async () => {
    const { store, token } = setup();
    const original = token('tok-a');
    await store.set(keys.partner(), original);
    original.accessToken = 'changed';
    const stored = store.peek(keys.partner())!;
    expect(stored.accessToken).toBe('tok-a');
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it('42: inspecting or serialising the store shows no token', async () => {
    const { store, token } = setup();
    await store.set(keys.partner(), token('tok-secret-partner'));
    await store.set(user(1), token('tok-secret-user'));
    const rendered = [
      inspect(store, { depth: Infinity, showHidden: true, getters: true, customInspect: false }),
      JSON.stringify(store),
      String(store),
    ].join('\n');
    expect(rendered).not.toMatch(/tok-secret/);
  });

  it('clear drops everything', async () => {
    const { store, token } = setup();
    await store.set(user(1), token('tok-1'));
    store.clear();
    expect(store.size).toEqual({ entityUserTokens: 0, partnerTokens: 0 });
    await store.delete(user(1));
  });
});
