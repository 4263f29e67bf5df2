import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteConfigurationError,
  MoniteMalformedResponseError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteUnknownEntityUserError,
  MoniteValidationError,
} from './monite-auth.errors.js';
import { moniteErrorFromResponse } from './monite-error-response.js';
import {
  MoniteHttpException,
  toMoniteHttpException,
  type MoniteHttpErrorBody,
} from './monite-http-exception.js';

const body = (error: MoniteAuthError) => toMoniteHttpException(error).getResponse() as MoniteHttpErrorBody;
const api = (status: number, said?: object, retryAfter?: string) =>
  moniteErrorFromResponse({ status, body: said, operation: 'GET /payables', retryAfter });
const tokenEndpoint = (status: number, entityUserGrant = false) =>
  moniteErrorFromResponse({
    status,
    body: { error: { message: 'Monite’s own words' } },
    operation: 'entity user token request',
    tokenEndpoint: true,
    entityUserGrant,
  });

describe('toMoniteHttpException: library error -> HTTP answer', () => {
  it.each<[string, MoniteAuthError, number, string]>([
    ['Monite’s 401 after the replay', api(401, { error: { message: 'Token expired' } }), 502, 'Bad Gateway'],
    ['bad credentials at the token endpoint', tokenEndpoint(401), 502, 'Bad Gateway'],
    ['a 403 at the token endpoint', tokenEndpoint(403), 502, 'Bad Gateway'],
    ['a request-shape 422 at the token endpoint', tokenEndpoint(422), 502, 'Bad Gateway'],
    ['a 404 at the token endpoint for the partner', tokenEndpoint(404), 502, 'Bad Gateway'],
    ['5xx', api(500), 503, 'Service Unavailable'],
    ['unreachable', new MoniteUnavailableError('x', { code: 'ECONNRESET' }), 503, 'Service Unavailable'],
    ['a malformed body', new MoniteMalformedResponseError('x', { status: 200 }), 503, 'Service Unavailable'],
    [
      'a bad option',
      new MoniteConfigurationError('nestjs-monite-auth: option "x"'),
      500,
      'Internal Server Error',
    ],
    ['an error of no known kind', new MoniteAuthError('x'), 500, 'Internal Server Error'],
    ['a redirect', api(302), 502, 'Bad Gateway'],
  ])('7: %s -> %i %s, without Monite’s words or status', (_name, error, statusCode, name) => {
    const answer = body(error);
    expect(answer).toMatchObject({ statusCode, error: name });
    expect(answer.moniteStatus).toBeUndefined();
    expect(answer.message).not.toMatch(/Monite’s own words|Token expired/);
  });

  it.each<[string, MoniteAuthError, number, string, string]>([
    [
      '403',
      api(403, { error: { message: 'Action read for payable not allowed' } }),
      403,
      'Forbidden',
      'Action read for payable not allowed',
    ],
    [
      'the 409 permission failure',
      api(409, { error: { message: 'Action approve for payable not allowed' } }),
      403,
      'Forbidden',
      'Action approve for payable not allowed',
    ],
    ['404', api(404, { error: { message: 'Payable not found' } }), 404, 'Not Found', 'Payable not found'],
    [
      'another 409',
      api(409, { error: { message: 'The payable is locked' } }),
      409,
      'Conflict',
      'The payable is locked',
    ],
    [
      '400 on the caller’s input',
      api(400, { error: { message: 'Bad amount' } }),
      422,
      'Unprocessable Entity',
      'Bad amount',
    ],
    ['an unknown entity user', tokenEndpoint(404, true), 404, 'Not Found', 'Monite’s own words'],
  ])('7: Monite %s -> %i %s with Monite’s message', (_name, error, statusCode, name, message) => {
    expect(body(error)).toMatchObject({ statusCode, error: name, message });
  });

  it('7: a 422 on the caller’s input carries the fields Monite named', () => {
    const error = api(422, {
      detail: [
        { loc: ['body', 'amount'], msg: 'must be positive' },
        { loc: ['body', 'currency'], msg: 'unknown currency' },
      ],
    });
    expect(body(error)).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'body.amount: must be positive; body.currency: unknown currency',
      moniteStatus: 422,
      fields: [
        { field: 'amount', message: 'must be positive' },
        { field: 'currency', message: 'unknown currency' },
      ],
    });
  });

  it('7: 429 -> 429 with retryAfterSeconds (rounded up, at least 1) for the Retry-After header', () => {
    const exception = toMoniteHttpException(api(429, undefined, '7'));
    expect(exception.getStatus()).toBe(429);
    expect(exception.getResponse()).toMatchObject({ error: 'Too Many Requests', retryAfterSeconds: 7 });
    expect(exception.retryAfterSeconds).toBe(7);
    const window = new MoniteRateLimitError('x', { status: 429, retryAfterMs: 1_200 });
    expect(toMoniteHttpException(window).retryAfterSeconds).toBe(2);
    expect(
      toMoniteHttpException(new MoniteRateLimitError('x', { status: 429 })).retryAfterSeconds,
    ).toBeUndefined();
  });

  it('7: an input the library refused itself is a 400 that does not claim Monite refused it', () => {
    const answer = body(new MoniteValidationError('nestjs-monite-auth: entityUserId must be a UUID'));
    expect(answer).toEqual({ statusCode: 400, error: 'Bad Request', message: 'entityUserId must be a UUID' });
    expect(JSON.stringify(answer)).not.toMatch(/Monite/);
  });

  it('7: a permission refused locally (another entity) is a 403 without a Monite status', () => {
    const answer = body(
      new MonitePermissionError('x', { moniteMessage: 'Cross-entity access is not allowed' }),
    );
    expect(answer).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Cross-entity access is not allowed',
    });
  });

  it('keeps the library error as moniteError and as cause', () => {
    const error = new MoniteNotFoundError('x', { status: 404 });
    const exception = toMoniteHttpException(error);
    expect(exception).toBeInstanceOf(MoniteHttpException);
    expect(exception.moniteError).toBe(error);
    expect(exception.cause).toBe(error);
    expect(error).not.toBeInstanceOf(MoniteUnknownEntityUserError);
    expect(new MoniteAuthenticationError('x')).toBeInstanceOf(MoniteAuthError);
  });
});
