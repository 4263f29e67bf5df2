/*
 * Checklist 43, observed at the server: whatever a path template's values or a literal path hold
 * (encoded dots, slashes, backslashes, unicode, `..`), no request MoniteClient sends leaves the
 * prefix its template names. The loopback server records the raw request target, before any
 * routing or decoding, and a small reference model says what it must be.
 */
import fc from 'fast-check';
import type { MoniteClient } from 'nestjs-monite-auth';
import { rejection } from '../support/leak-ledger.js';
import { bootClient, type BootedClient } from './client-test-kit.js';
import { startLoopbackMonite, type LoopbackMonite } from './loopback-monite.js';

/** The checklist's spellings, and more: each is a value, a literal segment, or part of one. */
const HOSTILE = [
  '..\\x',
  '%2e%2e',
  '%2E%2e%2F',
  '.%2e',
  '%5c',
  '%2f',
  '..',
  '.',
  '/',
  '\\',
  '%252e%252e',
  '%c0%af',
];
const PIECES = [
  ...HOSTILE,
  'payables',
  'roles',
  'x',
  '-',
  '~',
  '%41',
  '?',
  '#',
  ' ',
  'é',
  '\u2215',
  '\u0000',
  '{id}',
];

const TEMPLATES = [
  '/payables/{id}',
  '/payables/{id}/approve',
  '/entity_users/{id}/roles/{roleId}',
  '/counterparts/{id}/addresses/{addressId}',
];

/** The template's literal part before its first placeholder. */
const prefixOf = (template: string) => template.slice(0, template.indexOf('/{'));

/** A value a parameter may hold under the reference model: once decoded or not, one segment, not a dot segment. */
function acceptableValue(value: string): boolean {
  const once = value.replace(/%[0-9a-f]{2}/gi, (escape) =>
    String.fromCharCode(parseInt(escape.slice(1), 16)),
  );
  const readings = [value, once];
  return (
    value !== '' &&
    !/\p{Cs}/u.test(value) &&
    readings.every((reading) => reading !== '.' && reading !== '..' && !/[/\\]/.test(reading))
  );
}

/** A piece of a literal segment: hostile as often as not. */
const piece = fc.oneof(
  fc.constantFrom(...PIECES),
  fc.constantFrom('payables', 'x', 'a-b', '~1', '%41', 'id_1', ':', '@', "'", '(', '*', '+', ',', ';', '='),
);

const value = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.uuid(),
);

describe('43: MoniteClient paths at a loopback server', () => {
  let monite: LoopbackMonite;
  let booted: BootedClient;
  let client: MoniteClient;

  beforeAll(async () => {
    monite = await startLoopbackMonite();
    booted = await bootClient({ apiUrl: monite.url });
    client = booted.client;
  });
  afterAll(async () => {
    await booted.app.close();
    await monite.close();
  });

  /** Sends one call; the request target the server saw, or `undefined` when it was refused before sending. */
  async function targetOf(call: () => Promise<unknown>): Promise<string | undefined> {
    const before = monite.targets.length;
    try {
      await call();
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      expect(monite.targets).toHaveLength(before);
      return undefined;
    }
    expect(monite.targets).toHaveLength(before + 1);
    return monite.targets[before];
  }

  it('43: a template value never leaves its segment, nor the prefix its template names (random values, reference model)', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEMPLATES), value, value, async (template, first, second) => {
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        const params = Object.fromEntries(names.map((name, i) => [name, i === 0 ? first : second]));
        const target = await targetOf(() => client.get(template, { params, asPartner: true }));
        expect(target !== undefined).toBe(Object.values(params).every(acceptableValue));
        if (target === undefined) return;
        sent += 1;
        expect(target.startsWith(`/v1${prefixOf(template)}/`)).toBe(true);
        // Segment for segment: the template with each value in place, once the server decodes it.
        const expected = template
          .slice(1)
          .split('/')
          .map((segment) => (segment.startsWith('{') ? params[segment.slice(1, -1)] : segment));
        expect(target.slice('/v1/'.length).split('/').map(decodeURIComponent)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
    expect(sent).toBeGreaterThan(100);
  });

  it('43: a literal path is sent exactly as written, or not at all (random pieces)', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(piece, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (segments) => {
          const path = `/payables/${segments.map((pieces) => pieces.join('')).join('/')}`;
          const target = await targetOf(() => client.get(path, { asPartner: true }));
          if (target === undefined) return;
          sent += 1;
          expect(target).toBe(`/v1${path}`);
          for (const segment of target.split('/').slice(1)) {
            const decoded = decodeURIComponent(segment);
            expect(decoded === '.' || decoded === '..' || /[/\\]/.test(decoded)).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(sent).toBeGreaterThan(20);
  });

  it.each(HOSTILE)(
    '43: %s, as a value or a literal segment, never reaches the server outside /payables',
    async (hostile) => {
      const before = monite.targets.length;
      for (const call of [
        () => client.get('/payables/{id}/approve', { params: { id: hostile }, asPartner: true }),
        () =>
          client.post('/payables/{id}/approve', {}, { params: { id: `${hostile}roles` }, asPartner: true }),
        () => client.get(`/payables/${hostile}/roles`, { asPartner: true }),
        () => client.delete(`/payables/x${hostile}`, { asPartner: true }),
      ]) {
        const target = await targetOf(call);
        if (target !== undefined) expect(target.startsWith('/v1/payables/')).toBe(true);
      }
      expect(monite.targets.slice(before).every((target) => target.startsWith('/v1/payables/'))).toBe(true);
    },
  );

  it('refusals are TypeErrors that never quote the path', async () => {
    const error = await rejection(client.get('/payables/..\\admin-secret', { asPartner: true }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain('admin-secret');
  });
});
