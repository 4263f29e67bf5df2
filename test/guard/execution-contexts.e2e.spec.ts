/*
 * 41: every execution context is either handled or denied. The guard comes from a booted scenario
 * app; contexts are built by hand with Nest's ExecutionContextHost in each transport's argument
 * layout. (The transports over the wire, with real servers and clients: test/transports. The
 * synchronous hot path and the rest of the decision table: the unit specs beside the guard.)
 */
import { ForbiddenException, Injectable, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import {
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  type MoniteGuardRequest,
} from 'nestjs-monite-auth';
import { getMoniteAccessFromContext } from 'nestjs-monite-auth/testing';
import { ENTITY, OTHER_ENTITY, USERS } from './apps/fixtures.js';
import { partnerManagedApp } from './apps/partner-managed.app.js';

/** A resolver-like class: handlers as GraphQL, microservice or gateway methods would be. */
class PayablesResolver {
  @MonitePermission('payable', 'read')
  payables(): string[] {
    return [];
  }

  @MonitePermission('payable', 'approve')
  approve(): boolean {
    return true;
  }

  @MonitePublic()
  ping(): string {
    return 'pong';
  }
}

/** Reads `x-monite-entity-id` of RPC calls from the transport's metadata (the second argument) instead of the message. */
@Injectable()
class RpcMetadataMonitePermissionGuard extends MonitePermissionGuard {
  protected override getRequest(context: ExecutionContext): MoniteGuardRequest {
    if (context.getType() === 'rpc') return context.getArgByIndex<MoniteGuardRequest>(1);
    return super.getRequest(context);
  }
}

type Headers = Record<string, string>;
const headersOf = (user?: string, entity?: string): { headers: Headers } => ({
  headers: {
    ...(user ? { 'x-test-user': user } : {}),
    ...(entity ? { 'x-monite-entity-id': entity } : {}),
  },
});

function contextOf(type: string, args: unknown[], handler: keyof PayablesResolver): ExecutionContextHost {
  const context = new ExecutionContextHost(args, PayablesResolver, PayablesResolver.prototype[handler]);
  context.setType(type);
  return context;
}

/** The same call in each transport's argument layout, with the caller's headers where that transport keeps them. */
const TRANSPORTS = {
  rpc: (handler: keyof PayablesResolver, user?: string) => contextOf('rpc', [headersOf(user), {}], handler),
  ws: (handler: keyof PayablesResolver, user?: string) =>
    contextOf('ws', [{ handshake: headersOf(user) }, {}, 'payables'], handler),
  graphql: (handler: keyof PayablesResolver, user?: string) =>
    contextOf('graphql', [{}, {}, { req: headersOf(user) }, {}], handler),
} as const;

/** What the app's authentication reads: the request's headers, wherever the transport keeps them. */
function testHeadersOf(context: ExecutionContext): Headers | undefined {
  switch (context.getType<string>()) {
    case 'graphql':
      return context.getArgByIndex<{ req: { headers: Headers } }>(2).req.headers;
    case 'ws':
      return context.getArgByIndex<{ handshake: { headers: Headers } }>(0).handshake.headers;
    default:
      return context.getArgByIndex<{ headers?: Headers }>(0)?.headers;
  }
}

/** canActivate may throw or reject: either way, as one promise. */
async function decide(guard: MonitePermissionGuard, context: ExecutionContext): Promise<boolean> {
  return guard.canActivate(context);
}

/** The status and reason a denial carries, in any transport's error type. */
function denialOf(error: unknown): { status?: unknown; reason?: unknown } {
  const body =
    (error as { getError?: () => Record<string, unknown> }).getError?.() ??
    (error as { extensions?: Record<string, unknown> }).extensions ??
    (error as { response?: Record<string, unknown> }).response ??
    {};
  return { status: body['statusCode'], reason: body['reason'] };
}

async function denial(guard: MonitePermissionGuard, context: ExecutionContext) {
  return decide(guard, context).then(
    (allowed) => ({ allowed }),
    (error: unknown) => denialOf(error),
  );
}

describe('41: every execution context is handled or denied', () => {
  let app: INestApplication;
  let guard: MonitePermissionGuard;

  beforeAll(async () => {
    const appModule = partnerManagedApp(
      {
        resolveEntityUser: (context) => {
          const entityUserId = testHeadersOf(context)?.['x-test-user'];
          return entityUserId === undefined ? undefined : { entityUserId, entityId: ENTITY };
        },
      },
      // The app registers its own guard subclass in the module that imports MoniteAuthModule.
      [RpcMetadataMonitePermissionGuard],
    );
    const moduleRef = await Test.createTestingModule({ imports: [appModule] }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    guard = app.get(MonitePermissionGuard);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(Object.keys(TRANSPORTS) as (keyof typeof TRANSPORTS)[])(
    '41: a %s context is decided as over HTTP: allowed passes, not_allowed is 403, nobody is 401',
    async (transport) => {
      const call = TRANSPORTS[transport];
      const allowed = call('payables', USERS.admin);
      await expect(decide(guard, allowed)).resolves.toBe(true);
      expect(getMoniteAccessFromContext(allowed)).toMatchObject({ objectType: 'payable', scope: 'all' });
      expect(await denial(guard, call('approve', USERS.reader))).toEqual({
        status: 403,
        reason: 'not_allowed',
      });
      expect(await denial(guard, call('payables'))).toEqual({ status: 401, reason: 'no_user' });
    },
  );

  it('41: an unknown context type is denied (403), whoever calls', async () => {
    const context = contextOf('kafka-stream', [headersOf(USERS.admin)], 'payables');
    await expect(decide(guard, context)).rejects.toThrow(ForbiddenException);
    await expect(decide(guard, context)).rejects.toMatchObject({
      response: { reason: 'unsupported_context' },
    });
  });

  it('41: the same call over HTTP passes (the role does allow it)', async () => {
    await expect(decide(guard, contextOf('http', [headersOf(USERS.admin), {}], 'payables'))).resolves.toBe(
      true,
    );
  });

  it('41: @MonitePublic handlers are public in every context', async () => {
    await expect(decide(guard, TRANSPORTS.rpc('ping'))).resolves.toBe(true);
    await expect(decide(guard, contextOf('kafka-stream', [], 'ping'))).resolves.toBe(true);
  });

  it('41: a subclass overriding getRequest reads the entity header elsewhere, and still decides', async () => {
    const metadataGuard = app.get(RpcMetadataMonitePermissionGuard);
    const call = (metadata: { headers: Headers }) =>
      contextOf('rpc', [headersOf(USERS.admin), metadata], 'payables');
    expect(await denial(metadataGuard, call(headersOf(undefined, OTHER_ENTITY)))).toEqual({
      status: 403,
      reason: 'entity_mismatch',
    });
    await expect(decide(metadataGuard, call(headersOf(undefined, ENTITY)))).resolves.toBe(true);
    // The base guard reads the message, which names no entity.
    await expect(decide(guard, call(headersOf(undefined, OTHER_ENTITY)))).resolves.toBe(true);
  });
});
