/* docs/replicas.md, "Configuration": the snippet as printed (replicas-docs.spec.ts compares). */

import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { MoniteAuthModule, RedisTokenStore } from 'nestjs-monite-auth';

const redis = new Redis(process.env.REDIS_URL!);
redis.on('error', () => undefined); // the store reports outages itself (see below)

@Module({
  imports: [
    MoniteAuthModule.forRoot({
      clientId: process.env.MONITE_CLIENT_ID!,
      clientSecret: process.env.MONITE_CLIENT_SECRET!,
      tokenStore: new RedisTokenStore({
        client: redis,
        // Optional: without it, tokens are sealed with a key derived from the client credentials.
        encryptionKey: process.env.MONITE_TOKEN_KEY,
      }),
    }),
  ],
})
export class AppModule {}
