/*
 * The Nest side of the e2e suites: the adapters every HTTP suite runs on, and how an app is booted
 * on each (Fastify needs `ready()` before supertest can reach it).
 */
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** Every HTTP e2e suite runs on both adapters (`describe.each(ADAPTERS)`). */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * Boots a scenario app on one adapter; close it in afterAll/afterEach. `configure` runs before
 * `init`, for what an app's `main.ts` would do (`app.useGlobalFilters(...)`).
 */
export async function startApp(
  adapter: AdapterName,
  module: Type<unknown> | DynamicModule,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app =
    adapter === 'express'
      ? moduleRef.createNestApplication({ logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  configure?.(app);
  await app.init();
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}
