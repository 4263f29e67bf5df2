import { Module, type ExecutionContext } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import {
  MoniteAuthModule,
  MonitePermissionGuard,
  type MoniteAuthModuleOptions,
  type MoniteEntityUserRef,
} from 'nestjs-monite-auth';
import { ConsumerController } from './consumer.controller.js';

/** The caller, from two request headers: they stand in for the app's own authentication. */
export function callerOf(context: ExecutionContext): MoniteEntityUserRef | undefined {
  const { headers } = context
    .switchToHttp()
    .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  const entityUserId = headers['x-user-id'];
  const entityId = headers['x-user-entity'];
  return typeof entityUserId === 'string' && typeof entityId === 'string'
    ? { entityUserId, entityId }
    : undefined;
}

// The guard for the whole app: every route needs @MonitePermission or @MonitePublic.
@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    MoniteAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): MoniteAuthModuleOptions => ({
        clientId: config.getOrThrow<string>('MONITE_CLIENT_ID'),
        clientSecret: config.getOrThrow<string>('MONITE_CLIENT_SECRET'),
        apiUrl: config.getOrThrow<string>('MONITE_API_URL'),
        resolveEntityUser: callerOf,
      }),
    }),
  ],
  controllers: [ConsumerController],
  providers: [{ provide: APP_GUARD, useClass: MonitePermissionGuard }],
})
export class AppModule {}
