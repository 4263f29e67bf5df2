import { MoniteUrls } from './monite-url.js';

describe('MoniteUrls', () => {
  const urls = new MoniteUrls('http://127.0.0.1:4010/v1');

  it('joins the base URL, the path and the query (arrays repeat the key, undefined is left out)', () => {
    expect(urls.build({ path: '/payables', prefix: '/payables' })).toBe('http://127.0.0.1:4010/v1/payables');
    expect(
      urls.build(
        { path: '/payables', prefix: '/payables' },
        { limit: 2, status: ['new', 'paid'], sort: undefined, q: 'a&b c' },
      ),
    ).toBe('http://127.0.0.1:4010/v1/payables?limit=2&status=new&status=paid&q=a%26b+c');
  });

  it.each([
    ['a backslash the parser reads as a slash', '/payables/..\\roles'],
    ['an encoded dot segment', '/payables/%2e%2e/roles'],
    ['a dot segment', '/payables/./x'],
    ['another host', '//evil.example/x'],
    ['a character the parser encodes', '/payables/a b'],
  ])('43: refuses a built path the URL parser would change: %s', (_, path) => {
    // The builder refuses all of these first; this is the second lock, should it ever let one by.
    expect(() => urls.build({ path, prefix: '/payables' })).toThrow(TypeError);
  });

  it('43: refuses a path that left the prefix its template names', () => {
    expect(() => urls.build({ path: '/roles/x', prefix: '/payables' })).toThrow(TypeError);
  });

  it('works with a base URL without a path', () => {
    expect(new MoniteUrls('http://127.0.0.1:4010').build({ path: '/x', prefix: '/x' })).toBe(
      'http://127.0.0.1:4010/x',
    );
  });
});
