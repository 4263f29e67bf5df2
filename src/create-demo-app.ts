import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { DemoSettings } from './config/demo-env.js';
import { DEMO_SETTINGS, type DemoAppOptions } from './config/demo-settings.js';
import { setupDocs } from './docs/setup-docs.js';
import { SameOriginMiddleware } from './security/same-origin.middleware.js';
import { TrustedHostMiddleware } from './security/trusted-host.middleware.js';

export interface CreateDemoAppOptions extends DemoAppOptions {
  /** The HTTP platform. Default `express`; the e2e tests run both. */
  adapter?: 'express' | 'fastify';
  /** Nest's logger: `false` silences it (tests), or the levels to print. Default: Nest's own. */
  logger?: false | LogLevel[];
}

/**
 * Builds the demo application (not listening yet): configuration validated, Monite connected (an
 * in-process emulator when no credentials are set), requests to a foreign Host and cross-site
 * changes refused, OpenAPI at `/docs`. Fails with the
 * configuration error instead of exiting, so the caller decides how to report it.
 */
export async function createDemoApp(options: CreateDemoAppOptions = {}): Promise<INestApplication> {
  // Configuration first: a bad variable fails here, with one clear message.
  const module = await AppModule.forRoot(options);
  const adapter = options.adapter ?? 'express';
  const appOptions = {
    abortOnError: false,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  };
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), appOptions)
      : await NestFactory.create(module, appOptions);
  // First in line, ahead of the docs, every route and body parsing: a foreign Host gets nothing,
  // then a cross-site change made with the session cookie gets nothing either.
  for (const check of [app.get(TrustedHostMiddleware), app.get(SameOriginMiddleware)]) {
    app.use(check.use.bind(check));
  }
  setupDocs(app, adapter);
  return app;
}

/** The settings the app was built with. */
export function demoSettingsOf(app: INestApplication): DemoSettings {
  return app.get<DemoSettings>(DEMO_SETTINGS);
}
