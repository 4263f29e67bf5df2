/*
 * What the suite asks of every running consumer app, over loopback HTTP: tokens, the guard and
 * the client against the emulator, and the OpenAPI document written by nestjs-monite-auth/swagger.
 */
import {
  DEMO_ENTITIES,
  DEMO_PAYABLES,
  DEMO_USERS,
  type DemoUser,
  type MoniteEmulator,
} from 'monite-emulator';

const TOKEN_ROUTE = 'POST /v1/auth/token';

interface Answer {
  status: number;
  body: Record<string, unknown> & Array<Record<string, unknown>>;
}

async function call(
  url: string,
  path: string,
  options: { user?: DemoUser; method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user) {
    headers['x-user-id'] = options.user.id;
    headers['x-user-entity'] = options.user.entityId;
  }
  const response = await fetch(`${url}${path}`, { method: options.method ?? 'GET', headers });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Tokens, the guard's decisions and the client, as one app serves them on one adapter. */
export async function expectTokensGuardAndClient(url: string, emulator: MoniteEmulator): Promise<void> {
  const { alice, carol } = DEMO_USERS;
  const { carolNew, frankNew } = DEMO_PAYABLES;

  expect(await call(url, '/health')).toEqual({ status: 200, body: { ok: true, approveCalls: 0 } });
  const partner = await call(url, '/partner-token');
  expect(partner.status).toBe(200);
  expect(partner.body).toEqual({ tokenType: 'Bearer', expiresAt: expect.any(Number) });

  // No user: 401. Alice: Monite (the emulator) says the client sent her own token; the second
  // call reuses it from the cache.
  expect(await call(url, '/me')).toMatchObject({ status: 401, body: { reason: 'no_user' } });
  expect(await call(url, '/me', { user: alice })).toEqual({
    status: 200,
    body: expect.objectContaining({ id: alice.id }),
  });
  const tokenRequests = emulator.count(TOKEN_ROUTE);
  expect((await call(url, '/me', { user: alice })).status).toBe(200);
  expect(emulator.count(TOKEN_ROUTE)).toBe(tokenRequests);

  // allowed: every payable of her entity; allowed_for_own without an owner check: the handler's scope.
  const all = await call(url, '/payables', { user: alice });
  expect(all.status).toBe(200);
  expect(all.body.map((payable) => payable.id)).toEqual(expect.arrayContaining([carolNew.id, frankNew.id]));
  const own = await call(url, '/payables', { user: carol });
  expect(own.status).toBe(200);
  expect(own.body.map((payable) => payable.id)).toContain(carolNew.id);
  expect(own.body.every((payable) => payable.was_created_by_user_id === carol.id)).toBe(true);

  // allowed_for_own with the owner checked by the guard.
  expect(await call(url, `/payables/${carolNew.id}`, { user: carol })).toMatchObject({
    status: 200,
    body: { id: carolNew.id },
  });
  expect(await call(url, `/payables/${frankNew.id}`, { user: carol })).toMatchObject({
    status: 403,
    body: { reason: 'not_owner', permission: 'payable.read' },
  });

  // Denied: 403 naming the permission, and the handler never ran. Another entity: 403.
  expect(await call(url, `/payables/${carolNew.id}/approve`, { user: carol, method: 'POST' })).toMatchObject({
    status: 403,
    body: { reason: 'not_allowed', permission: 'payable.approve' },
  });
  expect((await call(url, '/health')).body).toEqual({ ok: true, approveCalls: 0 });
  expect(
    await call(url, '/payables', { user: alice, headers: { 'x-monite-entity-id': DEMO_ENTITIES.globex.id } }),
  ).toMatchObject({ status: 403, body: { reason: 'entity_mismatch' } });
}

type Operation = { description?: string; responses: Record<string, unknown> } & Record<string, unknown>;

/** /docs-json: the guarded operations name their permission and the guard's answers; public ones nothing. */
export async function expectOpenApiDocument(url: string): Promise<void> {
  const document = (await (await fetch(`${url}/docs-json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const permissions: Record<string, unknown> = {};
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      permissions[`${method.toUpperCase()} ${path}`] = operation['x-monite-permission'];
    }
  }
  expect(permissions).toEqual({
    'GET /health': undefined,
    'GET /partner-token': undefined,
    'GET /me': 'entity_user.read',
    'GET /payables': 'payable.read',
    'GET /payables/{id}': 'payable.read',
    'POST /payables/{id}/approve': 'payable.approve',
  });
  const approve = document.paths['/payables/{id}/approve']!.post!;
  expect(approve.description).toContain('Requires Monite permission `payable.approve`');
  expect(approve.description).toContain("the guard compares the object's creator with the caller");
  expect(Object.keys(approve.responses)).toEqual(expect.arrayContaining(['401', '403', '503']));
  expect(document.paths['/payables']!.get!.description).toContain('the handler limits it');
  expect(Object.keys(document.paths['/health']!.get!.responses)).not.toContain('401');
}
