import type { ExecutionContext } from '@nestjs/common';
import type { MoniteAccessDecision } from './monite-access.decorator.js';

/*
 * Where each Nest transport keeps what the guard reads, by the positions of a handler's arguments,
 * so that @nestjs/graphql, @nestjs/websockets and @nestjs/microservices stay optional (nothing here
 * imports them):
 *
 *   context   arguments                       request (its headers)         object id         one call
 *   http      [request, response, next]       the request                   params[name]      the request
 *   graphql   [root, args, context, info]     context.req (or .request,     args[name]        info
 *                                             .reply.request)
 *   ws        [client, data, ack?, pattern]   client.handshake (socket.io)  data[name]        data, else ack
 *                                             or client.request
 *   rpc       [data, transportContext]        data (its `headers` field)    data[name]        transportContext
 */

/** The part of a request the guard reads; `getRequest` must return at least this. */
export interface MoniteGuardRequest {
  headers?: Record<string, string | string[] | undefined>;
}

/** A call that carries no headers: nothing narrows the caller's entity. */
const NO_HEADERS: MoniteGuardRequest = Object.freeze({});

type Indexable = Record<string, unknown>;

function objectOrUndefined(value: unknown): Indexable | undefined {
  return typeof value === 'object' && value !== null ? (value as Indexable) : undefined;
}

/** The argument at `index` when it is an object. */
function objectArg(context: ExecutionContext, index: number): Indexable | undefined {
  return objectOrUndefined(context.getArgByIndex(index));
}

/**
 * The request of a GraphQL, WebSocket or RPC call, whose `headers` the guard reads (see the table
 * above); a call without one reads as a request without headers.
 */
export function transportRequestOf(context: ExecutionContext): MoniteGuardRequest {
  switch (context.getType<string>()) {
    case 'graphql': {
      const graphqlContext = objectArg(context, 2);
      const request =
        graphqlContext?.['req'] ??
        graphqlContext?.['request'] ??
        objectOrUndefined(graphqlContext?.['reply'])?.['request'];
      return objectOrUndefined(request) ?? NO_HEADERS;
    }
    case 'ws': {
      const client = objectArg(context, 0);
      return objectOrUndefined(client?.['handshake'] ?? client?.['request']) ?? NO_HEADERS;
    }
    case 'rpc':
      return objectArg(context, 0) ?? NO_HEADERS;
    default:
      return NO_HEADERS;
  }
}

/** The id of the object a call acts on, under `name` (see the table above). */
export function objectIdOf(context: ExecutionContext, name: string): unknown {
  switch (context.getType<string>()) {
    case 'http':
      return objectOrUndefined(objectArg(context, 0)?.['params'])?.[name];
    case 'graphql':
    case 'ws':
      return objectArg(context, 1)?.[name];
    case 'rpc':
      return objectArg(context, 0)?.[name];
    default:
      return undefined;
  }
}

/** How the place `objectIdOf` reads is called in this context, for error messages. */
export function objectIdSourceOf(context: ExecutionContext): string {
  switch (context.getType<string>()) {
    case 'graphql':
      return 'Argument';
    case 'ws':
    case 'rpc':
      return 'Message field';
    default:
      return 'Route parameter';
  }
}

/**
 * An object that exists once per call (one field resolution, one message): a request is shared
 * by every field of a GraphQL operation and a client by all its messages, so the decision for
 * `@MoniteAccess()` cannot be kept there. A WebSocket message whose body is no object and that
 * asks for no acknowledgement has nothing of its own: its client stands in.
 */
function callKeyOf(context: ExecutionContext): object | undefined {
  switch (context.getType<string>()) {
    case 'graphql':
      return objectArg(context, 3) ?? objectArg(context, 1);
    case 'ws': {
      const ack: unknown = context.getArgByIndex(2);
      return objectArg(context, 1) ?? (typeof ack === 'function' ? ack : objectArg(context, 0));
    }
    case 'rpc':
      return objectArg(context, 1) ?? objectArg(context, 0);
    default:
      return undefined;
  }
}

/** Decisions outside HTTP, per call and handler (two handlers may share a call key, e.g. a client). */
const decisions = new WeakMap<object, WeakMap<Function, MoniteAccessDecision>>();

/** Keeps the guard's decision with the call, for `@MoniteAccess()` in a resolver or message handler. */
export function keepMoniteAccess(context: ExecutionContext, decision: MoniteAccessDecision): void {
  const key = callKeyOf(context);
  if (key === undefined) return;
  let byHandler = decisions.get(key);
  if (byHandler === undefined) decisions.set(key, (byHandler = new WeakMap()));
  byHandler.set(context.getHandler(), decision);
}

/** The decision `keepMoniteAccess` kept for this call and handler, if any. */
export function findMoniteAccess(context: ExecutionContext): MoniteAccessDecision | undefined {
  const key = callKeyOf(context);
  return key === undefined ? undefined : decisions.get(key)?.get(context.getHandler());
}
