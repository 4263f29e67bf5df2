import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { describeFailure, withoutStack } from './monite-permission.exceptions.js';

/*
 * A denial in the error type of the context it happened in, so that each transport answers it as
 * its own errors. The guard builds its 401/403/503 as HttpExceptions (monite-permission.exceptions.ts);
 * outside HTTP they, and any HttpException an app's resolver throws, become:
 *
 *   http     the HttpException itself
 *   graphql  an error with `extensions: { code, statusCode, reason?, permission? }`; `code` is
 *            UNAUTHENTICATED (401), FORBIDDEN (403), SERVICE_UNAVAILABLE (503), BAD_REQUEST (400)...
 *            Not an HttpException, so no GraphQL driver rewrites it (Nest's Apollo driver would make a
 *            503 an INTERNAL_SERVER_ERROR).
 *   ws       a WsException carrying the body `{ status: 'error', statusCode, error?, message, reason?, permission? }`,
 *            which Nest emits to the client as an `exception` event
 *   rpc      an RpcException carrying the same body, which the caller's ClientProxy receives as its error
 *
 * WsException and RpcException come from optional peers: they are imported on the first call in
 * their context (`transportErrorsReady`), never when the library loads.
 */

/** The error a GraphQL field fails with when the guard denies it; graphql-js copies `extensions` into the response. */
export class MoniteGraphqlError extends Error {
  override readonly name = 'MoniteGraphqlError';

  constructor(
    message: string,
    readonly extensions: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

type TransportExceptionClass = new (error: object) => Error;

/** The packages and classes of the transports whose error types are not ours. */
const TRANSPORT_EXCEPTIONS: Readonly<Record<string, () => Promise<TransportExceptionClass>>> = {
  ws: async () => (await import('@nestjs/websockets')).WsException,
  rpc: async () => (await import('@nestjs/microservices')).RpcException,
};

/** Loaded classes; `null` once loading failed (then denials reach the caller as Nest's unknown error). */
const loaded = new Map<string, TransportExceptionClass | null>();
const loading = new Map<string, Promise<void>>();
const logger = new Logger('MonitePermissionGuard');

/**
 * Nothing to wait for (`undefined`), or the first load of the context's exception class. Called
 * before deciding in a ws or rpc context, so that every denial after it is built synchronously.
 */
export function transportErrorsReady(contextType: string): Promise<void> | undefined {
  const load = TRANSPORT_EXCEPTIONS[contextType];
  if (load === undefined || loaded.has(contextType)) return undefined;
  let pending = loading.get(contextType);
  if (pending === undefined) {
    pending = load().then(
      (type) => void loaded.set(contextType, type),
      (error: unknown) => {
        loaded.set(contextType, null);
        logger.error(
          `Could not load the ${contextType} exception class (${describeFailure(error)}): ` +
            'its denials reach the caller as internal errors',
        );
      },
    );
    loading.set(contextType, pending);
  }
  return pending;
}

/** The GraphQL `extensions.code` of an HTTP status. */
export function graphqlCodeOf(status: number): string {
  if (status === HttpStatus.UNAUTHORIZED) return 'UNAUTHENTICATED';
  return HttpStatus[status] ?? 'INTERNAL_SERVER_ERROR';
}

/** An HttpException's body as an object, with its status and message. */
function bodyOf(exception: HttpException): Record<string, unknown> {
  const response = exception.getResponse();
  const body = typeof response === 'object' && response !== null ? response : {};
  return { statusCode: exception.getStatus(), message: exception.message, ...body };
}

/** The GraphQL error for an HttpException: the message, and the code, status, reason and permission. */
function toGraphqlError(exception: HttpException): MoniteGraphqlError {
  const { statusCode, reason, permission } = bodyOf(exception);
  const extensions: Record<string, unknown> = { code: graphqlCodeOf(exception.getStatus()), statusCode };
  if (reason !== undefined) extensions['reason'] = reason;
  if (permission !== undefined) extensions['permission'] = permission;
  return withoutStack(() => new MoniteGraphqlError(exception.message, extensions));
}

/**
 * `error` as the context `contextType` answers it (see the table above). Anything but an
 * HttpException, and any error in a context the library does not know, is returned as it is.
 */
export function toTransportError(contextType: string, error: unknown): unknown {
  if (!(error instanceof HttpException) || contextType === 'http') return error;
  if (contextType === 'graphql') return toGraphqlError(error);
  const type = loaded.get(contextType);
  if (type === undefined || type === null) return error;
  return withoutStack(() => new type({ status: 'error', ...bodyOf(error) }));
}
