/*
 * Boots MoniteAuthModule alone (no HTTP app) for the client suites, optionally with a clock of the
 * test's choosing in place of the real one.
 */
import type { CallHandler, ExecutionContext, INestApplicationContext, NestInterceptor } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DEMO_CLIENT } from 'monite-emulator';
import { MoniteAuthModule, MoniteClient, type MoniteAuthModuleOptions } from 'nestjs-monite-auth';
import { MONITE_AUTH_CLOCK, type MoniteClock } from 'nestjs-monite-auth/testing';

export interface BootedClient {
  app: INestApplicationContext;
  client: MoniteClient;
}

/** The module with the emulator's demo credentials, `apiUrl` and any other options given. */
export async function bootClient(
  options: Partial<MoniteAuthModuleOptions> & { apiUrl: string },
  clock?: MoniteClock,
): Promise<BootedClient> {
  const builder = Test.createTestingModule({
    imports: [
      MoniteAuthModule.forRoot({
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 60_000 },
        ...options,
      }),
    ],
  });
  if (clock) builder.overrideProvider(MONITE_AUTH_CLOCK).useValue(clock);
  const app = await (await builder.compile()).init();
  return { app, client: app.get(MoniteClient) };
}

/** Plays the app's authentication: puts the README's `request.user` on the request from two headers. */
export class SessionUser implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    if (req.headers['x-user'])
      req.user = { entityUserId: req.headers['x-user'], entityId: req.headers['x-entity'] };
    return next.handle();
  }
}

/** The headers `SessionUser` reads, naming `user` as the signed-in user. */
export const sessionUserHeaders = (user: { id: string; entityId: string }): Record<string, string> => ({
  'x-user': user.id,
  'x-entity': user.entityId,
});
