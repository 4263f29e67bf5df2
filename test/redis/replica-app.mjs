// One replica of a user's backend, run as its own Node process by replicas.e2e.spec.ts: a Nest app
// (Express or Fastify) with MoniteAuthModule from the BUILT library and, when REDIS_PORT is set, a
// RedisTokenStore on an ioredis client. Plain JS (decorators applied by hand): it runs outside Jest.
// It reports its HTTP port to the parent over IPC.
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { MoniteAuthModule, MoniteTokenService, RedisTokenStore } from 'nestjs-monite-auth';

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
  health() {
    return { usingFallback: tokenStore?.usingFallback ?? false };
  }
}
const route = (decorator, name, ...params) => {
  const proto = ReplicaController.prototype;
  params.forEach((param, index) => param(proto, name, index));
  decorator(proto, name, Object.getOwnPropertyDescriptor(proto, name));
};
Controller()(ReplicaController);
Inject(MoniteTokenService)(ReplicaController, undefined, 0);
route(Get('token/partner'), 'partner');
route(Get('token/user/:id'), 'user', Param('id'));
route(Post('token/revoke'), 'revoke', Body('token'));
HttpCode(204)(
  ReplicaController.prototype,
  'revoke',
  Object.getOwnPropertyDescriptor(ReplicaController.prototype, 'revoke'),
);
route(Get('health'), 'health');

class ReplicaModule {}
Module({
  imports: [
    MoniteAuthModule.forRoot({
      clientId: env.MONITE_CLIENT_ID,
      clientSecret: env.MONITE_CLIENT_SECRET,
      apiUrl: env.MONITE_API_URL,
      tokenStore,
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
