import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { applyMoniteSwagger } from 'nestjs-monite-auth/swagger';
import { AppModule } from './app.module.js';

export type ConsumerAdapter = 'express' | 'fastify';

/** The app on one adapter, with its OpenAPI document at /docs-json (the JSON only: no UI assets). */
export async function createConsumerApp(adapter: ConsumerAdapter): Promise<INestApplication> {
  const logger = ['error', 'warn'] as const;
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger: [...logger] })
      : await NestFactory.create(AppModule, { logger: [...logger] });
  applyMoniteSwagger(app);
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('consumer').build());
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'] });
  return app;
}
