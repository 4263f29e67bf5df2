/*
 * nestjs-monite-auth/swagger in a real app on Express and Fastify, set up as docs/swagger.md shows
 * (applyMoniteSwagger(app), then SwaggerModule's document), read from /docs-json. Guarded operations carry `x-monite-permission`,
 * the permission and owner rule in the description and the guard's 401/403/503; public ones carry
 * nothing. Every operation of the document is then called: the document and the guard agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ADAPTERS, type AdapterName } from '../support/nest-app.js';
import { createOpenApiDocument } from './swagger-docs.examples.js';
import {
  comboControllers,
  DECORATIONS,
  POWERLESS_USER,
  SWAGGER_APP_CONTROLLERS,
  swaggerAppModule,
} from './swagger-app.js';

interface Operation {
  summary?: string;
  description?: string;
  responses: Record<string, { description?: string }>;
  'x-monite-permission'?: string;
}
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONTROLLERS = [...SWAGGER_APP_CONTROLLERS, ...comboControllers()];
const ANY_ID = 'c0000000-0000-4000-8000-000000000001';

/** Boots the app with its document at /docs-json: applyMoniteSwagger before createDocument, before init. */
async function startDocumentedApp(adapter: AdapterName): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [swaggerAppModule(CONTROLLERS)] }).compile();
  const app =
    adapter === 'express'
      ? moduleRef.createNestApplication({ logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  // The JSON document only: the UI would need @fastify/static on Fastify.
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { ui: false, raw: ['json'] });
  await app.init();
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

function operations(document: OpenApiDocument): Array<[string, string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]): [string, string, Operation] => [
      method,
      path,
      operation,
    ]),
  );
}

describe.each(ADAPTERS)('nestjs-monite-auth/swagger: the OpenAPI document (%s)', (adapter) => {
  let app: INestApplication;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startDocumentedApp(adapter);
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('guarded operations name their permission in x-monite-permission; public and undecorated ones name none', () => {
    const named = Object.fromEntries(
      operations(document)
        .filter(([, path]) => !path.startsWith('/combo'))
        .map(([method, path, operation]) => [
          `${method.toUpperCase()} ${path}`,
          operation['x-monite-permission'],
        ]),
    );
    expect(named).toEqual({
      'GET /payables/health': undefined,
      'GET /payables': 'payable.read',
      'GET /payables/{id}': 'payable.read',
      'POST /payables/{id}/approve': 'payable.approve',
      'GET /roles': 'role.read',
      'POST /roles': 'role.create',
      'GET /roles/public': undefined,
      'GET /status': undefined,
      'GET /bare': undefined,
    });
  });

  it('the description gives the permission and the owner rule; the guard’s 401, 403 and 503 are listed', () => {
    const list = document.paths['/payables']!.get!;
    expect(list.description).toMatch(/^Requires Monite permission `payable\.read`\. /);
    expect(list.description).toContain(
      'scope `own`, and the handler limits it to objects the caller created',
    );
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['401', '403', '503']));
    expect(list.responses['403']!.description).toContain('`payable.read`');

    const one = document.paths['/payables/{id}']!.get!;
    expect(one.description).toContain("the guard compares the object's creator with the caller");
    expect(one.description).toContain('`MoniteObjectOwner(payable:id)`');
    expect(one.responses['403']!.description).toContain('the caller did not create the object');

    const roles = document.paths['/roles']!.get!;
    expect(roles.description).toContain('Requires Monite permission `role.read`');
    // No summary invented where the app gave none.
    expect(roles).not.toHaveProperty('summary');
  });

  it("the app's own summary, description and responses stay; the guard's text follows its own", () => {
    const approve = document.paths['/payables/{id}/approve']!.post!;
    expect(approve.summary).toBe('Approve a payable');
    expect(approve.description).toMatch(
      /^Moves the payable on to payment\.\n\nRequires Monite permission `payable\.approve`\./,
    );
    expect(approve.description).toContain('owner resolver `ownerOfApproval`');
    expect(approve.responses['403']!.description).toBe('Refused: the app documents its own 403');
    expect(Object.keys(approve.responses)).toEqual(expect.arrayContaining(['401', '403', '503']));
  });

  it('public operations get no guard responses and no permission text', () => {
    for (const [path, method] of [
      ['/payables/health', 'get'],
      ['/roles/public', 'get'],
      ['/status', 'get'],
      ['/bare', 'get'],
    ] as const) {
      const operation = document.paths[path]![method]!;
      expect(Object.keys(operation.responses)).not.toEqual(expect.arrayContaining(['401']));
      expect(operation.responses).not.toHaveProperty('503');
      expect(operation.description ?? '').not.toContain('Monite');
    }
  });

  it('every handler × class decoration: the document names the permission the guard reads (handler first)', () => {
    for (const onHandler of DECORATIONS) {
      for (const onClass of DECORATIONS) {
        const expected =
          onHandler === 'permission'
            ? 'payable.approve'
            : onHandler === 'none' && onClass === 'permission'
              ? 'role.read'
              : undefined;
        const operation = document.paths[`/combo/${onHandler}-${onClass}`]!.get!;
        expect([onHandler, onClass, operation['x-monite-permission']]).toEqual([
          onHandler,
          onClass,
          expected,
        ]);
      }
    }
  });

  it('the document agrees with the guard on every operation: named permission <=> 401 without a user and 403 naming it with a powerless role', async () => {
    const http = request(app.getHttpServer());
    for (const [method, path, operation] of operations(document)) {
      if (path.startsWith('/docs')) continue;
      const url = path.replace('{id}', ANY_ID);
      const anonymous = await http[method as 'get' | 'post'](url);
      const powerless = await http[method as 'get' | 'post'](url).set('x-test-user', POWERLESS_USER);
      const permission = operation['x-monite-permission'];
      const seen = [method, path, anonymous.status, powerless.status, powerless.body.permission];
      if (permission !== undefined) {
        expect(seen).toEqual([method, path, 401, 403, permission]);
      } else if (path.startsWith('/bare') || path === '/combo/none-none') {
        // Neither decorator: denied to everyone, no permission to name.
        expect(seen).toEqual([method, path, 403, 403, undefined]);
      } else {
        expect([method, path, anonymous.status < 300, powerless.status < 300]).toEqual([
          method,
          path,
          true,
          true,
        ]);
      }
    }
  });

  it('applying it again, or for another app with the same controllers, changes nothing', async () => {
    const again = createOpenApiDocument(app);
    expect(again.paths).toEqual(document.paths);
  });
});

it('docs/swagger.md shows the code this suite runs', () => {
  const page = readFileSync(join(ROOT, 'libs/monite-auth/docs/swagger.md'), 'utf8');
  const example = readFileSync(join(ROOT, 'test/swagger/swagger-docs.examples.ts'), 'utf8');
  // The page's swagger.ts, imports included, is the examples file below its header comment.
  const shown = /```ts\n\/\/ swagger\.ts\n([\s\S]*?)```/.exec(page)?.[1];
  expect(shown).toBeDefined();
  expect(example).toContain(shown!.trim());
});
