import { inspect } from 'node:util';
import fc from 'fast-check';
import { MoniteSecretScrubber } from './monite-secret-scrubber.js';

/** Reference model: mark every character of every occurrence, then collapse each marked run. */
function referenceScrub(text: string, secrets: string[]): string {
  const marked = Array.from(text, () => false);
  for (const secret of secrets.filter((s) => s !== '')) {
    for (let at = 0; at + secret.length <= text.length; at++) {
      if (text.slice(at, at + secret.length) === secret) marked.fill(true, at, at + secret.length);
    }
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!marked[i]) out += text[i];
    else if (i === 0 || !marked[i - 1]) out += '[redacted]';
  }
  return out;
}

// Letters that never occur in "[redacted]", so a scrubbed text can be searched for any secret.
const SECRET_CHARS = ['x', 'y', 'z', 'Q', 'W', '7', '+', '/', '=', '%', ':', '~'];
const secretArb = fc.string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 1, maxLength: 12 });

describe('MoniteSecretScrubber', () => {
  it('49: a 3-character secret is scrubbed like any other', () => {
    expect(new MoniteSecretScrubber(['k9!']).scrub('key k9! and again k9!.')).toBe(
      'key [redacted] and again [redacted].',
    );
  });

  it('49: overlapping secrets leave no part of either visible', () => {
    const scrubber = new MoniteSecretScrubber(['ABCD', 'CDxyz']);
    expect(scrubber.scrub('..ABCDxyz..')).toBe('..[redacted]..');
  });

  it('49: a percent-encoded secret echoed with lower-case escapes is scrubbed too', () => {
    const scrubber = new MoniteSecretScrubber([encodeURIComponent('a/b+c')]);
    expect(scrubber.scrub('got a%2fb%2bc')).toBe('got [redacted]');
  });

  it('with() adds secrets for one use and leaves the original as it was', () => {
    const base = new MoniteSecretScrubber(['secret-one']);
    const extended = base.with('bearer-token', undefined, '');
    expect(extended.scrub('secret-one bearer-token')).toBe('[redacted] [redacted]');
    expect(base.scrub('secret-one bearer-token')).toBe('[redacted] bearer-token');
  });

  it('49: matches a reference model on random texts and secrets (property)', () => {
    fc.assert(
      fc.property(fc.array(secretArb, { maxLength: 4 }), fc.string({ maxLength: 80 }), (secrets, filler) => {
        // Plant each secret somewhere in the text.
        let text = filler;
        for (const [i, secret] of secrets.entries()) {
          const at = (i * 7919) % (text.length + 1);
          text = text.slice(0, at) + secret + text.slice(at);
        }
        const scrubbed = new MoniteSecretScrubber(secrets).scrub(text);
        expect(scrubbed).toBe(referenceScrub(text, secrets));
        for (const secret of secrets) expect(scrubbed).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it('42: shows nothing of its secrets when inspected, serialised or printed', () => {
    const scrubber = new MoniteSecretScrubber(['very-secret-value']).with('bearer-abc123');
    const renderings = [
      inspect(scrubber, { showHidden: true, getters: true, depth: Infinity, customInspect: false }),
      JSON.stringify(scrubber),
      String(scrubber),
    ];
    for (const rendered of renderings) {
      expect(rendered).not.toContain('very-secret-value');
      expect(rendered).not.toContain('bearer-abc123');
    }
  });
});
