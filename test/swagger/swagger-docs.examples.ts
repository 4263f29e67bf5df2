/*
 * The code of libs/monite-auth/docs/swagger.md, compiled with the repository and used by
 * swagger-document.e2e.spec.ts to build the document it reads.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { applyMoniteSwagger } from 'nestjs-monite-auth/swagger';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  // Before createDocument: writes each guarded route's permission, owner rule and 401/403/503.
  applyMoniteSwagger(app);
  const config = new DocumentBuilder().setTitle('Payables').addBearerAuth().build();
  return SwaggerModule.createDocument(app, config);
}
