import { describe, expect, it } from '@jest/globals';
import { EmulatorClock } from '../clock.js';
import { TokenRegistry } from './token-registry.js';

describe('TokenRegistry', () => {
  const fixedClock = (): EmulatorClock => new EmulatorClock(() => 1_700_000_000_000);
  const partner = { clientId: 'c', grant: 'client_credentials' as const, entityUserId: null };

  it('is valid until expires_in runs out and expired exactly at it (inclusive)', () => {
    const clock = fixedClock();
    const registry = new TokenRegistry(clock);
    const { accessToken } = registry.issue(partner, 60);
    clock.advance(59_999);
    expect(registry.lookup(accessToken).state).toBe('valid');
    clock.advance(1);
    expect(registry.lookup(accessToken).state).toBe('expired');
  });

  it('issues distinct opaque base64url tokens and knows unknown and revoked ones', () => {
    const registry = new TokenRegistry(fixedClock());
    const a = registry.issue(partner, 60).accessToken;
    const b = registry.issue(partner, 60).accessToken;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(registry.lookup('nope').state).toBe('unknown');
    expect(registry.revoke(a)).toBe(true);
    expect(registry.revoke('nope')).toBe(false);
    expect(registry.lookup(a).state).toBe('revoked');
    expect(registry.issued()).toBe(2);
    registry.clear();
    expect(registry.lookup(b).state).toBe('unknown');
    expect(registry.issued()).toBe(0);
  });

  it('does not keep the token itself (only a digest)', () => {
    const registry = new TokenRegistry(fixedClock());
    const { accessToken } = registry.issue(partner, 60);
    expect(
      JSON.stringify([...(registry as unknown as { tokens: Map<string, unknown> }).tokens]),
    ).not.toContain(accessToken);
  });

  it('the clock refuses to run backwards', () => {
    expect(() => fixedClock().advance(-1)).toThrow(RangeError);
  });

  it('forgets long-expired tokens once it holds many, and keeps the live ones', () => {
    const clock = fixedClock();
    const registry = new TokenRegistry(clock);
    const old = registry.issue(partner, 60).accessToken;
    for (let i = 1; i < 10_000; i += 1) registry.issue(partner, 60);
    clock.advance(60_000 + 60 * 60 * 1000 + 1); // expired for longer than an hour
    const live = registry.issue(partner, 60).accessToken; // the 10,001st: sweeps first
    expect(registry.lookup(old).state).toBe('unknown');
    expect(registry.lookup(live).state).toBe('valid');
    expect(registry.issued()).toBe(10_001);
  });
});
