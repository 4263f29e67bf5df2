import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteUnknownEntityUserError,
  MoniteValidationError,
} from './monite-auth.errors.js';
import {
  isPermissionConflict,
  moniteErrorFromResponse,
  parseJsonBody,
  parseRetryAfterMs,
  readMoniteErrorBody,
} from './monite-error-response.js';
import { MoniteSecretScrubber } from './monite-secret-scrubber.js';

const operation = 'partner token request';
const NOW = Date.UTC(2030, 0, 1);

describe('moniteErrorFromResponse: Monite answer -> library error', () => {
  it.each<[number, boolean, new (...args: never[]) => MoniteAuthError]>([
    [401, false, MoniteAuthenticationError],
    [400, true, MoniteAuthenticationError],
    [400, false, MoniteValidationError],
    [422, true, MoniteValidationError],
    [403, false, MonitePermissionError],
    [404, false, MoniteNotFoundError],
    [429, false, MoniteRateLimitError],
    [500, false, MoniteUnavailableError],
    [503, true, MoniteUnavailableError],
    [408, false, MoniteUnavailableError],
    [409, false, MoniteAuthError],
    [418, false, MoniteAuthError],
  ])('%i (token endpoint: %s) is a %p', (status, tokenEndpoint, type) => {
    const error = moniteErrorFromResponse({ status, body: undefined, operation, tokenEndpoint });
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, origin: tokenEndpoint ? 'token_endpoint' : 'api' });
  });

  it('a 400 naming a request-shape problem on the token endpoint is a validation error, not bad credentials', () => {
    const error = moniteErrorFromResponse({
      status: 400,
      body: { error: { type: 'invalid_api_version', message: 'Unknown version' } },
      operation,
      tokenEndpoint: true,
    });
    expect(error).toBeInstanceOf(MoniteValidationError);
    expect(error).toMatchObject({ code: 'invalid_api_version', moniteMessage: 'Unknown version' });
  });

  it('26: a 409 "Action ... not allowed" is a permission error; another 409 is not', () => {
    const denied = moniteErrorFromResponse({
      status: 409,
      body: { error: { message: 'Action approve for payable not allowed' } },
      operation,
    });
    const locked = moniteErrorFromResponse({
      status: 409,
      body: { error: { message: 'Locked' } },
      operation,
    });
    expect(denied).toBeInstanceOf(MonitePermissionError);
    expect(locked).not.toBeInstanceOf(MonitePermissionError);
    expect(isPermissionConflict(409, 'not allowed')).toBe(true);
  });

  it.each([
    ['404', 404, { error: { message: 'Entity user not found' } }],
    [
      '422 naming entity_user_id in detail[]',
      422,
      { detail: [{ loc: ['body', 'entity_user_id'], msg: 'unknown' }] },
    ],
    [
      '422 naming entity_user_id in its message',
      422,
      { error: { message: 'entity_user_id does not exist' } },
    ],
  ])(
    '6: the entity_user grant answered %s: MoniteUnknownEntityUserError, a MoniteNotFoundError',
    (_name, status, body) => {
      const error = moniteErrorFromResponse({
        status,
        body,
        operation: 'entity user token request',
        tokenEndpoint: true,
        entityUserGrant: true,
      });
      expect(error).toBeInstanceOf(MoniteUnknownEntityUserError);
      expect(error).toBeInstanceOf(MoniteNotFoundError);
      expect(error).toMatchObject({ status, origin: 'token_endpoint' });
      expect(error.message).toMatch(/does not know this entity user/);
    },
  );

  it('6: a 422 about another field on the entity_user grant stays a validation error', () => {
    const error = moniteErrorFromResponse({
      status: 422,
      body: { detail: [{ loc: ['body', 'grant_type'], msg: 'bad' }] },
      operation,
      tokenEndpoint: true,
      entityUserGrant: true,
    });
    expect(error).toBeInstanceOf(MoniteValidationError);
  });

  it('429 and 503 carry Retry-After in ms (seconds or HTTP date); other statuses do not', () => {
    expect(
      moniteErrorFromResponse({ status: 429, body: undefined, operation, retryAfter: '2' }),
    ).toMatchObject({
      retryAfterMs: 2_000,
    });
    const date = new Date(NOW + 5_000).toUTCString();
    expect(
      moniteErrorFromResponse({ status: 503, body: undefined, operation, retryAfter: date, now: NOW })
        .retryAfterMs,
    ).toBe(5_000);
    expect(
      moniteErrorFromResponse({ status: 500, body: undefined, operation, retryAfter: '2' }).retryAfterMs,
    ).toBe(undefined);
  });
});

describe('readMoniteErrorBody', () => {
  it.each([
    ['Monite', { error: { message: 'Bad', type: 'some_type' } }, { message: 'Bad', code: 'some_type' }],
    [
      'MoneyKit',
      { error_code: 'invalid_client', error_message: 'No' },
      { message: 'No', code: 'invalid_client' },
    ],
    [
      'RFC 6749',
      { error: 'invalid_client', error_description: 'No' },
      { message: 'No', code: 'invalid_client' },
    ],
    ['detail string', { detail: 'Gone' }, { message: 'Gone' }],
    ['an array', ['x'], {}],
    ['a string', 'x', {}],
  ])('reads the %s shape', (_name, body, expected) => {
    expect(readMoniteErrorBody(body)).toEqual(expected);
  });

  it('7: FastAPI 422: field messages kept per field (body. dropped), never the echoed input', () => {
    const read = readMoniteErrorBody({
      detail: [
        { loc: ['body', 'amount'], msg: 'field required', input: 'SECRET-INPUT' },
        { loc: ['query', 'limit'], msg: 'too big' },
        { msg: 'general problem' },
        'junk',
      ],
    });
    expect(read).toEqual({
      message: 'body.amount: field required; query.limit: too big; general problem',
      code: 'validation_error',
      fields: [
        { field: 'amount', message: 'field required' },
        { field: 'query.limit', message: 'too big' },
      ],
    });
    expect(JSON.stringify(read)).not.toContain('SECRET-INPUT');
  });

  it('control characters become spaces and long messages are cut to 300 characters', () => {
    const read = readMoniteErrorBody({ error: { message: `line\nbreak ${'y'.repeat(400)}` } });
    expect(read.message).toMatch(/^line break y+\.\.\.$/);
    expect(read.message!.length).toBe(303);
  });

  it('parseJsonBody: JSON, or undefined', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonBody('<html>')).toBeUndefined();
    expect(parseJsonBody('')).toBeUndefined();
  });

  it('parseRetryAfterMs: seconds, HTTP dates, nothing else', () => {
    expect(parseRetryAfterMs('3', NOW)).toBe(3_000);
    expect(parseRetryAfterMs(['4'], NOW)).toBe(4_000);
    expect(parseRetryAfterMs(new Date(NOW - 1_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfterMs('2.5', NOW)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, NOW)).toBeUndefined();
  });
});

describe('49: scrubbing what Monite echoes', () => {
  const secret = 'S3cr3t+/:=%~ tail';

  it('49: Monite’s message is scrubbed before it is cut: a secret across the 300-character cut leaves nothing of it (review finding)', () => {
    // Before: the message was cut to 300 characters first, leaving the secret's beginning to pass the scrub.
    const error = moniteErrorFromResponse({
      status: 400,
      body: { error: { message: `${'x'.repeat(292)}${secret}` } },
      operation,
      tokenEndpoint: true,
      secrets: [secret],
    });
    for (const rendered of [error.message, error.moniteMessage!, JSON.stringify(error), inspect(error)]) {
      expect(rendered).not.toContain(secret.slice(0, 8));
    }
    expect(error.moniteMessage).toMatch(/^x{292}\[redacte\.\.\.$/);
  });

  it('49: a 3-character secret echoed by Monite is scrubbed (review finding)', () => {
    // Before: secrets shorter than 4 characters were never scrubbed.
    const error = moniteErrorFromResponse({
      status: 401,
      body: { error: { message: 'bad secret Ωж§', type: 'Ωж§' } },
      operation,
      tokenEndpoint: true,
      secrets: ['Ωж§'],
    });
    expect(error.moniteMessage).toBe('bad secret [redacted]');
    expect(error.code).toBe('[redacted]');
    expect(JSON.stringify(error)).not.toContain('Ωж§');
  });

  it('49: an extra secret (the bearer token of a MoniteClient call) is scrubbed from message, code and fields', () => {
    const bearer = 'tok_0123456789abcdef';
    const scrubber = new MoniteSecretScrubber([secret]).with(bearer);
    const error = moniteErrorFromResponse({
      status: 422,
      body: { detail: [{ loc: ['body', bearer], msg: `token ${bearer} refused` }] },
      operation: 'POST /payables',
      secrets: scrubber,
    });
    expect(JSON.stringify(error)).not.toContain(bearer);
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(bearer);
    expect(error.fields).toEqual([{ field: '[redacted]', message: 'token [redacted] refused' }]);
  });

  it('49: no part of a random secret survives in any rendering of the error, wherever Monite puts it (property)', () => {
    const secretChars = ['Ω', 'ж', 'ß', '€', '¤', '§', '¶', 'Ø'];
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...secretChars), minLength: 1, maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', '1'), maxLength: 600 }),
        fc.nat(),
        fc.constantFrom('message', 'type', 'detail', 'oauth2'),
        (planted, filler, position, shape) => {
          const at = position % (filler.length + 1);
          const said = filler.slice(0, at) + planted + filler.slice(at);
          const body =
            shape === 'message'
              ? { error: { message: said } }
              : shape === 'type'
                ? { error: { message: 'x', type: said } }
                : shape === 'detail'
                  ? { detail: [{ loc: ['body', said], msg: said }] }
                  : { error_code: said, error_message: said };
          const error = moniteErrorFromResponse({ status: 422, body, operation, secrets: [planted] });
          for (const rendered of [
            error.message,
            JSON.stringify(error),
            inspect(error, { depth: Infinity }),
          ]) {
            for (const char of planted) expect(rendered).not.toContain(char);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
