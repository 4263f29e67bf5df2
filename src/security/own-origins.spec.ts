import fc from 'fast-check';
import { parseDemoEnv } from '../config/demo-env.js';
import { canonicalHostName } from './host-names.js';
import { OwnOrigins } from './own-origins.js';

const own = (env: Record<string, string> = {}) => new OwnOrigins(parseDemoEnv(env));

/** Host headers built to look like ours: our names with tricks around them, and random text. */
const hostHeaders = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.constantFrom('', 'x.', 'localhost.', '127.0.0.1.', '[', '%20'),
      fc.constantFrom(
        'localhost',
        'LOCALHOST',
        '127.0.0.1',
        '[::1]',
        '::1',
        '[0:0::1]',
        'evil.example',
        '0.0.0.0',
      ),
      fc.constantFrom(
        '',
        ':3000',
        ':',
        '.',
        '.evil.example',
        '@evil.example',
        '/x',
        ':3000:1',
        ' ',
        '\t',
        ']',
      ),
    )
    .map((parts) => parts.join('')),
);

/** Origins and Referers built to look like ours, and random URLs and text. */
const sources = fc.oneof(
  fc.string(),
  fc.webUrl(),
  fc
    .tuple(
      fc.constantFrom('http://', 'https://', 'HTTP://', 'ws://', '//', 'http:/', 'null', ''),
      fc.constantFrom('127.0.0.1', 'localhost', 'evil.example', 'user@127.0.0.1', '127.0.0.1@evil.example'),
      fc.constantFrom('', ':3000', ':3001', ':3000@evil.example', ':3000.evil.example', '/', ':3000/x?y#z'),
    )
    .map((parts) => parts.join('')),
);

describe('OwnOrigins', () => {
  it('accepts no Host but loopback names by default, whatever the spelling tricks', () => {
    const origins = own();
    fc.assert(
      fc.property(hostHeaders, (host) => {
        if (origins.isOwnHost(host)) {
          expect(host).toMatch(/^(localhost|127\.0\.0\.1|\[(::1|0:0::1)\])(:\d{1,5})?$/i);
        }
      }),
      { numRuns: 2000 },
    );
    expect(origins.isOwnHost('localhost:3000')).toBe(true);
    expect(origins.isOwnHost(['127.0.0.1'])).toBe(false);
    expect(origins.isOwnHost(undefined)).toBe(false);
  });

  it('takes an Origin or Referer as own only when it is exactly the origin the request was addressed to', () => {
    const origins = own();
    fc.assert(
      fc.property(sources, (source) => {
        if (origins.isOwnOrigin(source, '127.0.0.1:3000')) {
          expect(new URL(source).origin).toBe('http://127.0.0.1:3000');
        }
        // A foreign Host makes every origin foreign, its own included.
        expect(origins.isOwnOrigin(source, 'evil.example:3000')).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(origins.isOwnOrigin('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(origins.isOwnOrigin('http://127.0.0.1:3000/docs?x=1', '127.0.0.1:3000')).toBe(true);
    expect(origins.isOwnOrigin('null', '127.0.0.1:3000')).toBe(false);
  });

  it('behind a proxy: the public origin, never its http twin, and loopback as before', () => {
    const origins = own({ DEMO_PUBLIC_ORIGIN: 'https://AP.example.com/' });
    expect(origins.isOwnHost('ap.example.com')).toBe(true);
    expect(origins.isOwnOrigin('https://ap.example.com', '127.0.0.1:3000')).toBe(true);
    expect(origins.isOwnOrigin('http://ap.example.com', 'ap.example.com')).toBe(false);
    expect(origins.isOwnOrigin('https://ap.example.com:8443', 'ap.example.com')).toBe(false);
    fc.assert(
      fc.property(sources, hostHeaders, (source, host) => {
        if (origins.isOwnOrigin(source, host)) {
          const origin = new URL(source).origin;
          expect(
            origin === 'https://ap.example.com' || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])/.test(origin),
          ).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('HOST and DEMO_ALLOWED_HOSTS add names; a wildcard HOST adds none', () => {
    expect(own({ HOST: 'Demo.LAN' }).isOwnHost('demo.lan:3000')).toBe(true);
    expect(own({ DEMO_ALLOWED_HOSTS: '192.168.1.20,::2' }).isOwnHost('[::2]:80')).toBe(true);
    expect([...own({ HOST: '0.0.0.0' }).hostNames].toSorted()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect([...own({ HOST: '::' }).hostNames].toSorted()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
  });

  it('cookies are Secure off loopback, or behind an https public origin', () => {
    expect(own().secureCookies).toBe(false);
    expect(own({ HOST: '127.9.9.9' }).secureCookies).toBe(false);
    expect(own({ HOST: '::1' }).secureCookies).toBe(false);
    expect(own({ HOST: '0.0.0.0' }).secureCookies).toBe(true);
    expect(own({ HOST: 'localhost.evil.example' }).secureCookies).toBe(true);
    expect(own({ DEMO_PUBLIC_ORIGIN: 'https://ap.example.com' }).secureCookies).toBe(true);
    expect(own({ DEMO_PUBLIC_ORIGIN: 'http://127.0.0.1:8080' }).secureCookies).toBe(false);
  });
});

describe('canonicalHostName', () => {
  it('one spelling per name; anything with a port, a path or a zone is not a host name', () => {
    expect(canonicalHostName('::1')).toBe('[::1]');
    expect(canonicalHostName('[0:0:0:0:0:0:0:1]')).toBe('[::1]');
    expect(canonicalHostName('Demo.Lan')).toBe('demo.lan');
    for (const bad of [
      '',
      ' demo.lan',
      'evil.com:80',
      'a/b',
      'fe80::1%eth0',
      '[demo.lan]',
      'a..b',
      '-a.b',
      'a b',
    ]) {
      expect([bad, canonicalHostName(bad)]).toEqual([bad, undefined]);
    }
  });
});
