/* docs/replicas.md, "Rotating the encryption key": the snippet as printed (replicas-docs.spec.ts compares). */

import { Redis } from 'ioredis';
import { RedisTokenStore } from 'nestjs-monite-auth';

// MONITE_TOKEN_KEYS="<current>,<previous>": base64 keys, the one to write with first.
export const tokenStore = new RedisTokenStore({
  client: new Redis(process.env.REDIS_URL!),
  encryptionKey: process.env.MONITE_TOKEN_KEYS!.split(','),
});
