/*
 * Run by the consumer app's own Jest, configured as its Nest starter configures it (ts-jest, no
 * transformIgnorePatterns): the library loads in Jest's CommonJS module registry and works there.
 * packed-consumer.e2e.spec.ts copies it into the app as src/consumer.spec.ts and passes the emulator
 * and a user in the environment.
 */
import type { INestApplication } from '@nestjs/common';
import { MonitePermissionGuard } from 'nestjs-monite-auth';
import { VirtualMoniteClock } from 'nestjs-monite-auth/testing';
import { applyMoniteSwagger } from 'nestjs-monite-auth/swagger';
import { createConsumerApp } from './create-consumer-app.js';

const userId = process.env.CONSUMER_USER_ID ?? '';
const entityId = process.env.CONSUMER_USER_ENTITY ?? '';

describe('nestjs-monite-auth in the app’s own Jest', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await createConsumerApp('express');
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('loads every entry point', () => {
    expect(typeof MonitePermissionGuard).toBe('function');
    expect(typeof VirtualMoniteClock).toBe('function');
    expect(typeof applyMoniteSwagger).toBe('function');
  });

  it('guards a route, then calls Monite with the entity user’s token', async () => {
    expect((await fetch(`${url}/me`)).status).toBe(401);
    const me = await fetch(`${url}/me`, { headers: { 'x-user-id': userId, 'x-user-entity': entityId } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(userId);
  });
});
