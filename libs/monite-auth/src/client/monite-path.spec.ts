import fc from 'fast-check';
import { buildMonitePath } from './monite-path.js';

const refused = (template: string, params?: Record<string, string | number>) => () =>
  buildMonitePath(template, params);

/** Pieces a literal path is fuzzed from: every spelling of a dot, slash and backslash, and worse. */
const LITERAL_PIECES = [
  'payables',
  'roles',
  'a',
  '-',
  '_',
  '~',
  ':',
  '@',
  '!',
  '$',
  "'",
  '(',
  '*',
  '+',
  ',',
  ';',
  '=',
  '.',
  '..',
  '%2e',
  '%2E',
  '.%2e',
  '%2E.',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '\\',
  '%25',
  '%252e',
  '%41',
  '%',
  '%c0%af',
  '%g1',
  '%0a',
  '%00',
  '%7f',
  '?',
  '#',
  ' ',
  'é',
  '\u0000',
  '\t',
  '\u2215',
  '{',
  '}',
  '{id}',
];

/** The URL parser axios uses (WHATWG) keeps the path exactly as it is. */
function parserKeeps(path: string): boolean {
  try {
    return new URL(`http://monite.test/v1${path}`).pathname === `/v1${path}`;
  } catch {
    return false;
  }
}

/**
 * The reference model of a safe literal path: the URL parser keeps it, and no segment of it
 * decodes to a dot segment or holds a slash or backslash.
 */
function safeLiteral(path: string): boolean {
  if (!parserKeeps(path)) return false;
  return path
    .slice(1)
    .split('/')
    .every((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return false;
      }
      return decoded !== '.' && decoded !== '..' && !/[/\\]/.test(decoded);
    });
}

describe('buildMonitePath: literal paths', () => {
  it('keeps a plain path and calls it its own prefix', () => {
    expect(buildMonitePath('/payables')).toEqual({ path: '/payables', prefix: '/payables' });
    expect(buildMonitePath('/entity_users/my_role')).toEqual({
      path: '/entity_users/my_role',
      prefix: '/entity_users/my_role',
    });
    expect(buildMonitePath('/payables/').path).toBe('/payables/');
  });

  it.each([
    ['/payables/..\\roles'],
    ['/payables/%2e%2e/roles'],
    ['/payables/%2E%2E/roles'],
    ['/payables/.%2e/roles'],
    ['/payables/%2e./roles'],
    ['/payables/%2E%2e%2Froles'],
    ['/payables/../roles'],
    ['/payables/./roles'],
    ['/payables/%2e/roles'],
    ['/payables/..'],
    ['/payables/x%2froles'],
    ['/payables/x%5croles'],
    ['/payables/x%5Croles'],
    ['/payables\\roles'],
    ['/payables/%252e%252e/roles'],
  ])('43: refuses %s with a TypeError', (path) => {
    expect(refused(path)).toThrow(TypeError);
    expect(refused(path)).toThrow(/Invalid Monite path/);
  });

  it.each([
    ['https://evil.example/v1/payables', /start with/],
    ['//evil.example/payables', /empty segment/],
    ['payables', /start with/],
    ['/payables?limit=1', /options\.query/],
    ['/payables#x', /options\.query/],
    ['/payables//roles', /empty segment/],
    ['/payables/a\u0000b', /control/],
    ['/payables/a\nb', /control/],
    ['/payables/%0a', /encoded/],
    ['/payables/%c0%af', /encoded/],
    ['/payables/%C3%A9', /encoded/],
    ['/payables/é', /character/],
    ['/payables/a b', /character/],
    ['/payables/%zz', /escape/],
    ['/payables/x{id}', /whole segment/],
    ['/payables/{id', /whole segment/],
  ])('refuses %j (%s)', (path, reason) => {
    expect(refused(path)).toThrow(reason);
  });

  it('never quotes the path: it may hold user input', () => {
    expect(refused('/payables/../secret-looking-input')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-looking-input') }),
    );
  });

  it('43: a literal it accepts is one the URL parser keeps as it is (random pieces, reference model)', () => {
    const literal = fc
      .array(fc.array(fc.constantFrom(...LITERAL_PIECES), { minLength: 1, maxLength: 4 }), {
        minLength: 1,
        maxLength: 4,
      })
      .map((segments) => `/${segments.map((pieces) => pieces.join('')).join('/')}`);
    fc.assert(
      fc.property(literal, (path) => {
        let built: string | undefined;
        try {
          built = buildMonitePath(path).path;
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
        if (built !== undefined) {
          expect(built).toBe(path);
          expect(safeLiteral(path)).toBe(true);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('buildMonitePath: templates', () => {
  const ID = '3f0c5e52-2b4b-4d6f-9d0e-5b1c2a3d4e5f';

  it('fills each placeholder with its encoded value; the prefix is the template before the first one', () => {
    expect(buildMonitePath('/payables/{id}/approve', { id: ID })).toEqual({
      path: `/payables/${ID}/approve`,
      prefix: '/payables',
    });
    expect(buildMonitePath('/a/{x}/b/{y}', { x: 'p q?#%é', y: 7 })).toEqual({
      path: '/a/p%20q%3F%23%25%C3%A9/b/7',
      prefix: '/a',
    });
    expect(buildMonitePath('/{id}', { id: 'x' })).toEqual({ path: '/x', prefix: '' });
  });

  it.each([
    ['a missing parameter', '/payables/{id}', {}],
    ['no params at all', '/payables/{id}', undefined],
    ['a parameter naming no placeholder', '/payables/{id}', { id: ID, other: 'x' }],
    ['an inherited name', '/payables/{constructor}', {}],
    ['an empty value', '/payables/{id}', { id: '' }],
    ['"." as the value', '/payables/{id}', { id: '.' }],
    ['".." as the value', '/payables/{id}/approve', { id: '..' }],
    ['a lone surrogate', '/payables/{id}', { id: 'a\ud800' }],
    ['a slash', '/payables/{id}/approve', { id: '../roles' }],
    ['a backslash', '/payables/{id}', { id: '..\\roles' }],
    ['an encoded slash', '/payables/{id}', { id: 'x%2Froles' }],
    ['an encoded dot segment', '/payables/{id}', { id: '%2e%2E' }],
    ['a half-encoded dot segment', '/payables/{id}', { id: '.%2e' }],
    ['an encoded backslash', '/payables/{id}', { id: '%5c' }],
    ['NaN', '/payables/{id}', { id: Number.NaN }],
    ['Infinity', '/payables/{id}', { id: Number.POSITIVE_INFINITY }],
    ['an object', '/payables/{id}', { id: { toString: () => '..' } }],
    ['a boolean', '/payables/{id}', { id: true }],
    ['a bad placeholder name', '/payables/{the-id}', { 'the-id': ID }],
  ])('43: %s is a TypeError', (_, template, params) => {
    expect(refused(template, params as Record<string, string>)).toThrow(TypeError);
  });

  it('43: a value is one segment, whatever it holds (random values, reference model)', () => {
    const nasty = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            '.',
            '..',
            '/',
            '\\',
            '%2e',
            '%2E',
            '%2f',
            '%5c',
            '%',
            '?',
            '#',
            '{id}',
            '\u0000',
            'é',
            '\u2215',
          ),
          fc.string({ unit: 'grapheme', maxLength: 3 }),
          fc.string({ unit: 'binary', maxLength: 2 }),
        ),
        { maxLength: 6 },
      )
      .map((parts) => parts.join(''));
    const templates = ['/payables/{id}', '/payables/{id}/approve', '/entity_users/{id}/roles/{roleId}'];
    const paramValue = fc.oneof(nasty, fc.uuid(), fc.string({ unit: 'grapheme' }));
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...templates), paramValue, paramValue, (template, id, roleId) => {
        const params: Record<string, string> = template.includes('{roleId}') ? { id, roleId } : { id };
        const values = Object.values(params);
        const refusedByModel = values.some((value) => {
          // Read as it is and once percent-decoded (as a proxy might): one segment, never a dot segment.
          const once = value.replace(/%[0-9a-f]{2}/gi, (escape) =>
            String.fromCharCode(parseInt(escape.slice(1), 16)),
          );
          const oneSegment = [value, once].every((reading) => reading.split(/[/\\]/).length === 1);
          const dots = [value, once].some((reading) => reading === '.' || reading === '..');
          return value === '' || !oneSegment || dots || /\p{Cs}/u.test(value);
        });
        let built: { path: string; prefix: string } | undefined;
        try {
          built = buildMonitePath(template, params);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
        expect(built === undefined).toBe(refusedByModel);
        if (built === undefined) return;
        accepted += 1;
        // Segment for segment, the template with each value in place, once decoded.
        const expected = template
          .slice(1)
          .split('/')
          .map((segment) => (segment.startsWith('{') ? params[segment.slice(1, -1)] : segment));
        expect(built.path.slice(1).split('/').map(decodeURIComponent)).toEqual(expected);
        expect(built.prefix).toBe(template.slice(0, template.indexOf('/{')));
        expect(parserKeeps(built.path)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
    // The property says something only if many values get through.
    expect(accepted).toBeGreaterThan(1_000);
  });
});
