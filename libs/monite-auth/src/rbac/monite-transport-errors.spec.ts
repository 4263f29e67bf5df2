/*
 * A denial in each context's own error type: the HttpException over HTTP, a GraphQL error with
 * `extensions.code`, a WsException, an RpcException. The exception classes of the optional
 * transports are loaded once, on demand.
 */
import { BadRequestException, ForbiddenException, HttpException, ImATeapotException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import {
  moniteForbiddenException,
  moniteUnauthorizedException,
  moniteUnavailableException,
} from './monite-permission.exceptions.js';
import {
  MoniteGraphqlError,
  graphqlCodeOf,
  toTransportError,
  transportErrorsReady,
} from './monite-transport-errors.js';

const forbidden = () => moniteForbiddenException('not_allowed', 'payable.approve', 'graphql');
const FORBIDDEN_BODY = {
  statusCode: 403,
  error: 'Forbidden',
  message: 'Monite permission payable.approve is not allowed for this user',
  reason: 'not_allowed',
  permission: 'payable.approve',
};

describe('graphqlCodeOf', () => {
  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [503, 'SERVICE_UNAVAILABLE'],
    [400, 'BAD_REQUEST'],
    [404, 'NOT_FOUND'],
    [429, 'TOO_MANY_REQUESTS'],
    [599, 'INTERNAL_SERVER_ERROR'],
  ])('%i: %s', (status, code) => {
    expect(graphqlCodeOf(status)).toBe(code);
  });
});

describe('toTransportError', () => {
  beforeAll(async () => {
    await transportErrorsReady('ws');
    await transportErrorsReady('rpc');
  });

  it('http: the HttpException itself', () => {
    const exception = forbidden();
    expect(toTransportError('http', exception)).toBe(exception);
  });

  it.each([
    [moniteUnauthorizedException('no_user'), { code: 'UNAUTHENTICATED', statusCode: 401, reason: 'no_user' }],
    [
      forbidden(),
      { code: 'FORBIDDEN', statusCode: 403, reason: 'not_allowed', permission: 'payable.approve' },
    ],
    [
      moniteUnavailableException('role_unavailable'),
      { code: 'SERVICE_UNAVAILABLE', statusCode: 503, reason: 'role_unavailable' },
    ],
    [
      new BadRequestException('Argument id must be a payable id (a UUID)'),
      { code: 'BAD_REQUEST', statusCode: 400 },
    ],
  ])(
    'graphql: %s is an error with extensions.code, not an HttpException (no driver rewrites it)',
    (exception, extensions) => {
      const error = toTransportError('graphql', exception) as MoniteGraphqlError;
      expect(error).toBeInstanceOf(MoniteGraphqlError);
      expect(error).not.toBeInstanceOf(HttpException);
      expect(error.message).toBe(exception.message);
      expect(error.extensions).toEqual(extensions);
      // Built without a stack trace, like the HttpExceptions (a denial's stack says nothing).
      expect(error.stack?.split('\n')).toHaveLength(1);
    },
  );

  it.each([
    ['ws', WsException],
    ['rpc', RpcException],
  ] as const)('%s: the denial body, with status "error", in the transport exception', (type, Exception) => {
    const error = toTransportError(type, forbidden()) as WsException | RpcException;
    expect(error).toBeInstanceOf(Exception);
    expect(error.getError()).toEqual({ status: 'error', ...FORBIDDEN_BODY });
    expect(error.message).toBe(FORBIDDEN_BODY.message);
    expect(error.stack?.split('\n')).toHaveLength(1);
  });

  it("ws and rpc: an app's own HttpException keeps its status and body", () => {
    const teapot = toTransportError(
      'rpc',
      new ImATeapotException({ message: 'short and stout', tea: 'earl grey' }),
    );
    expect((teapot as RpcException).getError()).toEqual({
      status: 'error',
      statusCode: 418,
      message: 'short and stout',
      tea: 'earl grey',
    });
    const plain = toTransportError('ws', new HttpException('Nope', 409));
    expect((plain as WsException).getError()).toEqual({ status: 'error', statusCode: 409, message: 'Nope' });
  });

  it('anything but an HttpException, and any error of an unknown context, is left as it is', () => {
    const error = new Error('bug');
    for (const type of ['http', 'graphql', 'ws', 'rpc']) expect(toTransportError(type, error)).toBe(error);
    const exception = new ForbiddenException();
    expect(toTransportError('kafka', exception)).toBe(exception);
  });
});

describe('transportErrorsReady', () => {
  it('nothing to wait for over HTTP, in GraphQL or in an unknown context', () => {
    for (const type of ['http', 'graphql', 'kafka']) expect(transportErrorsReady(type)).toBeUndefined();
  });

  it('ws and rpc: loaded once, then nothing to wait for', async () => {
    for (const type of ['ws', 'rpc']) {
      await transportErrorsReady(type);
      expect(transportErrorsReady(type)).toBeUndefined();
    }
  });
});
