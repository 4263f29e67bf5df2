import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MoniteInvalidations, type MoniteInvalidation } from './monite-invalidations.js';

describe('MoniteInvalidations', () => {
  it('delivers to every listener until it unsubscribes', () => {
    const bus = new MoniteInvalidations();
    const seen: MoniteInvalidation[] = [];
    const stop = bus.subscribe((invalidation) => seen.push(invalidation));
    bus.deliver({ kind: 'entity_user', entityUserId: 'u' });
    stop();
    bus.deliver({ kind: 'all' });
    expect(seen).toEqual([{ kind: 'entity_user', entityUserId: 'u' }]);
  });

  it('a listener that throws is skipped; the others still hear it', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const bus = new MoniteInvalidations();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((invalidation) => seen.push(invalidation.kind));
    bus.deliver({ kind: 'entity', entityId: 'e' });
    expect(seen).toEqual(['entity']);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
