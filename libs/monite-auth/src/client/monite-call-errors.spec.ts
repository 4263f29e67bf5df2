import { inspect } from 'node:util';
import fc from 'fast-check';
import { toMoniteHttpException } from '../errors/monite-http-exception.js';
import { MoniteClientCredentials } from '../tokens/monite-client-credentials.js';
import { MoniteCallErrors } from './monite-call-errors.js';

const CLIENT_ID = '00000000-0000-4000-8000-000000000c11';
const SECRET = 'sk_test_"quoted"/secret+value';
const TOKEN = 'mtk_4f1d2c3b4a596877_access.token-value~';

/** Everything a user could log of an error, and what the HTTP layer would send. */
function rendered(error: Error): string {
  const exception = toMoniteHttpException(error as never);
  return [
    error.message,
    JSON.stringify(error),
    String(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(exception.getResponse()),
    inspect(exception, { depth: Infinity }),
  ].join('\n');
}

/** The secret and token, and any long piece of them (a secret cut in half still leaks). */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of [SECRET, TOKEN, encodeURIComponent(SECRET), encodeURIComponent(TOKEN)]) {
    for (let at = 0; at + 10 <= secret.length; at++) {
      if (text.includes(secret.slice(at, at + 10))) found.push(`${secret.length}-char secret at ${at}`);
    }
  }
  return found;
}

describe('MoniteCallErrors', () => {
  const errors = new MoniteCallErrors(new MoniteClientCredentials(CLIENT_ID, SECRET).scrubber);

  it("49: MoniteClient errors never hold the bearer token Monite echoed, in any field of Monite's answer", () => {
    const bodies = [
      { error: { message: `invalid token ${TOKEN}`, type: TOKEN } },
      { detail: [{ loc: ['header', TOKEN], msg: `Bearer ${TOKEN} expired` }] },
      { detail: `token ${encodeURIComponent(TOKEN)} refused` },
      { error_code: TOKEN, error_message: `client_secret=${encodeURIComponent(SECRET)}` },
      { error: 'invalid_client', error_description: `secret ${JSON.stringify(SECRET)} wrong` },
    ];
    for (const body of bodies) {
      for (const status of [400, 401, 403, 404, 409, 422, 429, 500]) {
        const error = errors.fromAnswer(
          { status, body: JSON.stringify(body) },
          'GET /payables/{id}',
          [TOKEN],
          0,
        );
        expect(leaks(rendered(error))).toEqual([]);
      }
    }
  });

  it('49: no piece of a secret survives, wherever Monite puts it in a long message (across the length cut)', () => {
    fc.assert(
      fc.property(
        fc.nat(340),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(TOKEN, SECRET, `Bearer ${TOKEN}`, JSON.stringify(SECRET).slice(1, -1)),
        fc.constantFrom('message', 'type', 'msg', 'detail'),
        fc.integer({ min: 400, max: 599 }),
        (padding, noise, secret, field, status) => {
          // Around the 300-character cut of Monite's message, and anywhere else.
          const text = `${'m'.repeat(padding)}${noise}${secret}${noise}`;
          const body =
            field === 'msg'
              ? { detail: [{ loc: ['body'], msg: text }] }
              : field === 'detail'
                ? { detail: text }
                : { error: { [field]: text } };
          const error = errors.fromAnswer({ status, body: JSON.stringify(body) }, 'GET /x', [TOKEN], 0);
          expect(leaks(rendered(error))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps Monite's message otherwise, and the operation", () => {
    const body = JSON.stringify({ error: { message: 'Action approve for payable not allowed' } });
    const error = errors.fromAnswer({ status: 403, body }, 'POST /payables/{id}/approve', [TOKEN], 0);
    expect(error.moniteMessage).toBe('Action approve for payable not allowed');
    expect(error.message).toContain('POST /payables/{id}/approve');
  });

  it('42: inspecting it never shows the secret forms it holds', () => {
    const text = [
      inspect(errors, { depth: Infinity, showHidden: true }),
      JSON.stringify(errors),
      String(errors),
    ];
    expect(leaks(text.join('\n'))).toEqual([]);
  });

  it('survives a body nested deeper than any error body', () => {
    const deep = `${'['.repeat(5_000)}"${TOKEN}"${']'.repeat(5_000)}`;
    const error = errors.fromAnswer({ status: 500, body: deep }, 'GET /x', [TOKEN], 0);
    expect(leaks(rendered(error))).toEqual([]);
  });
});
