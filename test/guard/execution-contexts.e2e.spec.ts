/*
 * 41: every execution context is either handled or denied. The guard comes from a booted scenario
 * app; contexts are built by hand with Nest's ExecutionContextHost for rpc, ws and graphql. (The
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
import { USERS } from './apps/fixtures.js';
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

/** Adapts the guard to GraphQL: the request lives in the GraphQL context (args[2].req). */
@Injectable()
class GqlMonitePermissionGuard extends MonitePermissionGuard {
  protected override getRequest(context: ExecutionContext): MoniteGuardRequest {
    if (context.getType<string>() === 'graphql') {
      return context.getArgByIndex<{ req: MoniteGuardRequest }>(2).req;
    }
    return super.getRequest(context);
  }
}

const headersOf = (user: string) => ({ headers: { 'x-test-user': user } });

function contextOf(type: string, args: unknown[], handler: keyof PayablesResolver): ExecutionContextHost {
  const context = new ExecutionContextHost(args, PayablesResolver, PayablesResolver.prototype[handler]);
  context.setType(type);
  return context;
}

/** The same context in each transport's argument layout, carrying an admin's headers where a request would be. */
const TRANSPORTS = {
  rpc: (handler: keyof PayablesResolver) => contextOf('rpc', [{ data: 1 }, headersOf(USERS.admin)], handler),
  ws: (handler: keyof PayablesResolver) =>
    contextOf('ws', [headersOf(USERS.admin), { data: 1 }, 'payables'], handler),
  graphql: (handler: keyof PayablesResolver) =>
    contextOf('graphql', [{}, {}, { req: headersOf(USERS.admin) }, {}], handler),
} as const;

/** canActivate may throw or reject: either way, as one promise. */
async function decide(guard: MonitePermissionGuard, context: ExecutionContext): Promise<boolean> {
  return guard.canActivate(context);
}

describe('41: execution contexts the guard does not handle are denied', () => {
  let app: INestApplication;
  let guard: MonitePermissionGuard;

  beforeAll(async () => {
    // resolveEntityUser here reads HTTP and GraphQL requests alike, as an app adapting to GraphQL would.
    const appModule = partnerManagedApp(
      {
        resolveEntityUser: (context) => {
          const request =
            context.getType<string>() === 'graphql'
              ? context.getArgByIndex<{ req: { headers: Record<string, string> } }>(2).req
              : context.getArgByIndex<{ headers: Record<string, string> }>(0);
          const entityUserId = request?.headers?.['x-test-user'];
          return entityUserId === undefined
            ? undefined
            : { entityUserId, entityId: '11111111-1111-4111-8111-111111111111' };
        },
      },
      // The app registers its own GraphQL guard in the module that imports MoniteAuthModule.
      [GqlMonitePermissionGuard],
    );
    const moduleRef = await Test.createTestingModule({ imports: [appModule] }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    guard = app.get(MonitePermissionGuard);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(Object.keys(TRANSPORTS) as (keyof typeof TRANSPORTS)[])(
    '41: a %s context is denied with a 403, even for a user whose role allows the action',
    async (transport) => {
      const context = TRANSPORTS[transport]('payables');
      await expect(decide(guard, context)).rejects.toThrow(ForbiddenException);
      await expect(decide(guard, context)).rejects.toMatchObject({
        response: { reason: 'unsupported_context' },
      });
    },
  );

  it('41: an unknown context type is denied too', async () => {
    await expect(
      decide(guard, contextOf('kafka-stream', [headersOf(USERS.admin)], 'payables')),
    ).rejects.toThrow(ForbiddenException);
  });

  it('41: the same call over HTTP passes (the role does allow it)', async () => {
    await expect(decide(guard, contextOf('http', [headersOf(USERS.admin), {}], 'payables'))).resolves.toBe(
      true,
    );
  });

  it('41: @MonitePublic handlers are public in every context', async () => {
    await expect(decide(guard, TRANSPORTS.rpc('ping'))).resolves.toBe(true);
  });

  it('41: a subclass overriding getRequest adapts the guard to GraphQL, and still decides', async () => {
    const gqlGuard = app.get(GqlMonitePermissionGuard);
    const allowed = TRANSPORTS.graphql('payables');
    await expect(decide(gqlGuard, allowed)).resolves.toBe(true);
    // The decision is on the GraphQL request, where @MoniteAccess finds it.
    expect(getMoniteAccessFromContext(allowed)).toMatchObject({
      objectType: 'payable',
      action: 'read',
      scope: 'all',
    });

    const reader = contextOf('graphql', [{}, {}, { req: headersOf(USERS.reader) }, {}], 'approve');
    await expect(decide(gqlGuard, reader)).rejects.toMatchObject({ response: { reason: 'not_allowed' } });
    await expect(
      decide(gqlGuard, contextOf('graphql', [{}, {}, { req: { headers: {} } }, {}], 'payables')),
    ).rejects.toMatchObject({
      status: 401,
    });
    // Still denied: the transports the subclass did not adapt.
    await expect(decide(gqlGuard, TRANSPORTS.rpc('payables'))).rejects.toThrow(ForbiddenException);
  });
});
