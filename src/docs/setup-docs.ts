import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { applyMoniteSwagger } from 'nestjs-monite-auth/swagger';

/**
 * OpenAPI at `/docs` (UI) and `/docs-json`. Each guarded operation names its Monite permission in
 * its description and as `x-monite-permission`. On Fastify the UI would need `@fastify/static`,
 * which the demo does not install, so only the JSON document is served there.
 */
export function setupDocs(app: INestApplication, adapter: 'express' | 'fastify'): void {
  const config = new DocumentBuilder()
    .setTitle('nestjs-monite-auth demo')
    .setDescription(
      'Accounts payable on Monite. Log in with `POST /auth/login`, then call the routes with the ' +
        'session cookie or `Authorization: Bearer <token>`. Every route requires the Monite permission ' +
        'named in its description; the guard checks it before Monite is called.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .addCookieAuth('demo_session')
    .build();
  applyMoniteSwagger(app);
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    ui: adapter === 'express',
    raw: ['json'],
  });
}
