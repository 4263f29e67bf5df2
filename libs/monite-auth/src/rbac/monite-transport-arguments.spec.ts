/*
 * Where each transport keeps a call's request, the object id and the call itself, read by argument
 * position; and the decisions kept per call and handler for `@MoniteAccess()`. Fuzzed: no layout of
 * arguments makes a reader throw (a throw would be an internal error, not a decision).
 */
import type { ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import fc from 'fast-check';
import { createMoniteAccess, getMoniteAccessFromContext } from './monite-access.decorator.js';
import {
  findMoniteAccess,
  keepMoniteAccess,
  objectIdOf,
  objectIdSourceOf,
  transportRequestOf,
} from './monite-transport-arguments.js';

class Handlers {
  read() {}
  approve() {}
}

function call(type: string, args: unknown[], handler: keyof Handlers = 'read'): ExecutionContext {
  const context = new ExecutionContextHost(args, Handlers, Handlers.prototype[handler]);
  context.setType(type);
  return context;
}

const USER = {
  entityUserId: 'a0000000-0000-4000-8000-0000000000cc',
  entityId: 'e0000000-0000-4000-8000-0000000000aa',
};
const decision = (action: string) => createMoniteAccess(USER, 'payable', action, 'allowed', 'all');
const request = { headers: { 'x-monite-entity-id': 'e' } };

describe('transportRequestOf', () => {
  it.each([
    ['graphql: the context req (Apollo, Express and Fastify)', 'graphql', [{}, {}, { req: request }, {}]],
    ['graphql: the context request', 'graphql', [{}, {}, { request }, {}]],
    ['graphql: the reply request (Mercurius)', 'graphql', [{}, {}, { reply: { request } }, {}]],
    ['ws: the socket.io handshake', 'ws', [{ handshake: request, request: {} }, {}, 'p']],
    ['ws: the upgrade request kept on the client', 'ws', [{ request }, {}, 'p']],
    ['rpc: the message', 'rpc', [request, {}]],
  ])('%s', (_name, type, args) => {
    expect(transportRequestOf(call(type, args))).toBe(request);
  });

  it.each([
    ['graphql without a request', 'graphql', [{}, {}, {}, {}]],
    ['graphql without a context', 'graphql', [undefined, {}, null, {}]],
    ['ws with a client that is no object', 'ws', ['client', {}, 'p']],
    ['rpc with a message that is a string', 'rpc', ['id', {}]],
    ['an unknown context', 'kafka', [request]],
  ])('%s: a request without headers', (_name, type, args) => {
    expect(transportRequestOf(call(type, args))).toEqual({});
  });
});

describe('objectIdOf', () => {
  it.each([
    ['http: the route parameter', 'http', [{ params: { id: 'x' } }, {}], 'Route parameter'],
    ['graphql: the field argument', 'graphql', [{}, { id: 'x' }, {}, {}], 'Argument'],
    ['ws: the message field', 'ws', [{}, { id: 'x' }, 'p'], 'Message field'],
    ['rpc: the message field', 'rpc', [{ id: 'x' }, {}], 'Message field'],
  ])('%s', (_name, type, args, source) => {
    expect(objectIdOf(call(type, args), 'id')).toBe('x');
    expect(objectIdOf(call(type, args), 'payableId')).toBeUndefined();
    expect(objectIdSourceOf(call(type, args))).toBe(source);
  });

  it('reads nothing from a body that is no object, nor in an unknown context', () => {
    expect(objectIdOf(call('ws', [{}, 'x', 'p']), 'id')).toBeUndefined();
    expect(objectIdOf(call('rpc', ['x', {}]), 'length')).toBeUndefined();
    expect(objectIdOf(call('kafka', [{ id: 'x' }]), 'id')).toBeUndefined();
  });
});

describe('decisions kept per call for @MoniteAccess()', () => {
  it('41: two fields of one GraphQL operation (one resolver, aliased) share the request, not their decisions', () => {
    const context = { req: request };
    const first = call('graphql', [{}, { id: 1 }, context, { path: 'a' }], 'read');
    const second = call('graphql', [{}, { id: 2 }, context, { path: 'b' }], 'read');
    keepMoniteAccess(first, decision('read'));
    keepMoniteAccess(second, decision('approve'));
    expect(getMoniteAccessFromContext(first)?.action).toBe('read');
    expect(getMoniteAccessFromContext(second)?.action).toBe('approve');
    // Found again from a new context over the same arguments, as Nest builds one for parameters.
    expect(findMoniteAccess(call('graphql', [{}, {}, context, first.getArgByIndex(3)]))?.action).toBe('read');
  });

  it('41: messages of one WebSocket client: by body, by acknowledgement, else per handler', () => {
    const client = { handshake: request };
    const withBody = call('ws', [client, { id: 1 }, undefined, 'a']);
    const withAck = call('ws', [client, 'id', () => undefined, 'a']);
    const bare = call('ws', [client, 'id', undefined, 'c'], 'approve');
    keepMoniteAccess(withBody, decision('read'));
    keepMoniteAccess(withAck, decision('update'));
    keepMoniteAccess(bare, decision('approve'));
    expect(findMoniteAccess(withBody)?.action).toBe('read');
    expect(findMoniteAccess(withAck)?.action).toBe('update');
    expect(findMoniteAccess(bare)?.action).toBe('approve');
    expect(findMoniteAccess(call('ws', [client, { id: 1 }, undefined, 'a']))).toBeUndefined();
  });

  it('41: RPC messages: by the transport context of each message', () => {
    const first = call('rpc', [{}, { socket: 1 }]);
    keepMoniteAccess(first, decision('read'));
    expect(findMoniteAccess(first)?.action).toBe('read');
    expect(findMoniteAccess(call('rpc', [first.getArgByIndex(0), { socket: 1 }]))).toBeUndefined();
  });

  it('41: nothing is kept or found in an unknown context, nor for another handler of the same call', () => {
    const unknown = call('kafka', [{}, {}]);
    keepMoniteAccess(unknown, decision('read'));
    expect(findMoniteAccess(unknown)).toBeUndefined();
    const read = call('rpc', [{}, {}], 'read');
    keepMoniteAccess(read, decision('read'));
    expect(findMoniteAccess(call('rpc', read.getArgs(), 'approve'))).toBeUndefined();
  });
});

describe('no arguments make a reader throw', () => {
  it('fuzzed argument lists in every context', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'graphql', 'ws', 'rpc', 'kafka'),
        fc.array(fc.anything({ withNullPrototype: true, withObjectString: true }), { maxLength: 5 }),
        fc.string(),
        (type, args, name) => {
          const context = call(type, args);
          const found = transportRequestOf(context);
          expect(typeof found).toBe('object');
          objectIdOf(context, name);
          expect(findMoniteAccess(context)).toBeUndefined();
          keepMoniteAccess(context, decision('read'));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
