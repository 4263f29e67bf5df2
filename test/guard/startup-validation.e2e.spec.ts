/*
 * At start, every @MonitePermission in the app is checked against the matrix; a bad one fails the
 * boot naming Controller.handler and the pair. Pairs the matrix lacks cannot be written in typed
 * code, so these apps use casts, as plain JavaScript or a stale build could.
 */
import { Controller, Get, Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  MoniteAuthModule,
  MoniteConfigurationError,
  MoniteOwnerResolverRegistry,
  MonitePermission,
  MonitePublic,
  type MoniteOwnerFunction,
} from 'nestjs-monite-auth';
import { roleOf, userFromHeaders } from './apps/fixtures.js';
import { PayableOwner, globalGuardApp } from './apps/global-guard.app.js';
import { partnerManagedApp } from './apps/partner-managed.app.js';

function appWith(controllers: Type<unknown>[], providers: Type<unknown>[] = []): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: 'guard-e2e-client',
        clientSecret: 'guard-e2e-secret',
        apiUrl: 'http://127.0.0.1:9/v1',
        securityModel: 'partner-managed',
        roleProvider: roleOf,
        resolveEntityUser: userFromHeaders,
      }),
    ],
    controllers,
    providers,
  })
  class ScenarioModule {}
  return ScenarioModule;
}

async function boot(module: Type<unknown>): Promise<() => Promise<void>> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return () => app.close();
}

@Controller('payables')
class BadActionController {
  @Get()
  @MonitePermission('payable', 'read')
  list() {}

  @Get('approve')
  @MonitePermission('payable', 'frobnicate' as never)
  approve() {}
}

@Controller('holograms')
@MonitePermission('hologram' as never, 'read' as never)
class BadTypeController {
  @Get()
  list() {}
}

@Controller('both')
class PublicAndGuardedController {
  @Get()
  @MonitePublic()
  @MonitePermission('payable', 'read')
  confused() {}
}

@Controller('owner')
class BadOwnerController {
  @Get(':id')
  @MonitePermission('payable', 'read', { owner: 'was_created_by_user_id' as unknown as MoniteOwnerFunction })
  get() {}
}

/** Not a controller: a GraphQL-resolver-like provider is checked too. */
@Injectable()
class BadResolver {
  @MonitePermission('entity', 'delete' as never)
  deleteEntity() {}
}

describe('startup validation of @MonitePermission metadata', () => {
  it('fails the boot naming Controller.handler and the pair the matrix lacks', async () => {
    const failure = boot(appWith([BadActionController]));
    await expect(failure).rejects.toThrow(MoniteConfigurationError);
    await expect(failure).rejects.toThrow(
      'BadActionController.approve: payable.frobnicate is not in the Monite permission matrix',
    );
    await expect(failure).rejects.not.toThrow('BadActionController.list');
  });

  it('checks class-level metadata', async () => {
    await expect(boot(appWith([BadTypeController]))).rejects.toThrow(
      'BadTypeController: hologram.read is not in the Monite permission matrix',
    );
  });

  it('rejects @MonitePublic and @MonitePermission on one handler', async () => {
    await expect(boot(appWith([PublicAndGuardedController]))).rejects.toThrow(
      'PublicAndGuardedController.confused: has both @MonitePermission and @MonitePublic',
    );
  });

  it('rejects an owner option that is neither a function nor a class', async () => {
    await expect(boot(appWith([BadOwnerController]))).rejects.toThrow(
      'BadOwnerController.get: owner must be a function or a class',
    );
  });

  it('checks providers too (GraphQL resolvers), and lists every problem at once', async () => {
    const failure = boot(appWith([BadActionController, BadTypeController], [BadResolver]));
    await expect(failure).rejects.toThrow('BadResolver.deleteEntity: entity.delete');
    await expect(failure).rejects.toThrow('BadActionController.approve');
    await expect(failure).rejects.toThrow('BadTypeController: hologram.read');
  });

  it('boots a valid app, and resolves its owner resolver classes before the first request', async () => {
    const close = await boot(partnerManagedApp());
    await close();

    const moduleRef = await Test.createTestingModule({ imports: [globalGuardApp()] }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const registry = app.get(MoniteOwnerResolverRegistry);
      expect(registry.get(PayableOwner)).toBe(app.get(PayableOwner));
    } finally {
      await app.close();
    }
  });
});
