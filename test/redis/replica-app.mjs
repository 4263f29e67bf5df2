// One replica of a user's backend, run as its own Node process by the replicas specs: a Nest app
// (Express or Fastify) with MoniteAuthModule from the BUILT library and, when REDIS_PORT is set, a
// RedisTokenStore on an ioredis client (REDIS_PORT may be a latency proxy's). It exposes token
// routes and one route behind MonitePermissionGuard (the caller named by `x-user` / `x-entity`),
// whose role cache the specs observe. Plain JS (decorators applied by hand): it runs outside Jest.
// It reports its HTTP port to the parent over IPC.
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Inject, Module, Param, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import {
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  MoniteTokenService,
  RedisTokenStore,
} from 'nestjs-monite-auth';

const env = process.env;
const redis = env.REDIS_PORT ? new Redis({ host: '127.0.0.1', port: Number(env.REDIS_PORT) }) : undefined;
// The spec stops Redis on purpose; ioredis would print every reconnection failure.
redis?.on('error', () => undefined);
const tokenStore =
  redis &&
  new RedisTokenStore({
    client: redis,
    lockTtlMs: Number(env.LOCK_TTL_MS ?? 5_000),
    recoveryCheckIntervalMs: 200,
    commandTimeoutMs: 500,
    ...(env.ENCRYPTION_KEYS ? { encryptionKey: env.ENCRYPTION_KEYS.split(',') } : {}),
  });

class ReplicaController {
  constructor(tokens) {
    this.tokens = tokens;
  }
  partner() {
    return this.tokens.getPartnerToken();
  }
  user(id) {
    return this.tokens.getEntityUserToken(id);
  }
  async revoke(token) {
    await this.tokens.revokeToken(token);
  }
  guarded() {
    return { allowed: true };
  }
  health() {
    return {
      usingFallback: tokenStore?.usingFallback ?? false,
      listening: tokenStore?.listeningForInvalidations ?? false,
    };
  }
}
const route = (decorators, name, ...params) => {
  const proto = ReplicaController.prototype;
  params.forEach((param, index) => param(proto, name, index));
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  for (const decorator of decorators) decorator(proto, name, descriptor);
};
Controller()(ReplicaController);
Inject(MoniteTokenService)(ReplicaController, undefined, 0);
route([Get('token/partner')], 'partner');
route([Get('token/user/:id')], 'user', Param('id'));
route([Post('token/revoke'), HttpCode(204)], 'revoke', Body('token'));
route([Get('guarded'), MonitePermission('payable', 'read'), UseGuards(MonitePermissionGuard)], 'guarded');
route([Get('health')], 'health');

/** The app's own authentication, played by two headers. */
function resolveEntityUser(context) {
  const headers = context.switchToHttp().getRequest().headers;
  return headers['x-user'] ? { entityUserId: headers['x-user'], entityId: headers['x-entity'] } : undefined;
}

class ReplicaModule {}
Module({
  imports: [
    MoniteAuthModule.forRoot({
      clientId: env.MONITE_CLIENT_ID,
      clientSecret: env.MONITE_CLIENT_SECRET,
      apiUrl: env.MONITE_API_URL,
      tokenStore,
      resolveEntityUser,
      // Long enough that only an invalidation can drop a role while a spec runs.
      roleCacheTtlMs: 600_000,
    }),
  ],
  controllers: [ReplicaController],
})(ReplicaModule);

const app =
  env.ADAPTER === 'fastify'
    ? await NestFactory.create(ReplicaModule, new FastifyAdapter(), { logger: ['log', 'warn', 'error'] })
    : await NestFactory.create(ReplicaModule, { logger: ['log', 'warn', 'error'] });
await app.listen(0, '127.0.0.1');
process.send({ port: app.getHttpServer().address().port });
