/*
 * Users, roles and objects of the guard scenarios. The test app identifies the caller by the
 * `x-test-user` / `x-test-entity` headers (standing in for the app's own authentication).
 */
import type { ExecutionContext } from '@nestjs/common';
import { DEMO_CLIENT } from 'monite-emulator';
import {
  moniteAsPartner,
  type MoniteAuthModuleOptions,
  type MoniteCaller,
  type MoniteEntityUserRef,
  type MoniteOwnerFunction,
  type MoniteRole,
} from 'nestjs-monite-auth';

export const ENTITY = '11111111-1111-4111-8111-111111111111';
export const OTHER_ENTITY = '22222222-2222-4222-8222-222222222222';

/** Entity user ids by what their role allows. */
export const USERS = {
  /** payable: read, approve, update, delete, create allowed. */
  admin: 'a0000000-0000-4000-8000-000000000001',
  /** payable and role: read allowed only (read-only). */
  reader: 'a0000000-0000-4000-8000-000000000002',
  /** payable: read, approve, update, delete, create allowed_for_own. */
  ownerA: 'a0000000-0000-4000-8000-000000000003',
  ownerB: 'a0000000-0000-4000-8000-000000000004',
  /** approve explicitly not_allowed, read allowed. */
  denied: 'a0000000-0000-4000-8000-000000000005',
  /** Only unknown object types and actions: grants nothing the matrix knows. */
  futurist: 'a0000000-0000-4000-8000-000000000006',
  /** Its role cannot be loaded (the provider throws). */
  broken: 'a0000000-0000-4000-8000-000000000007',
  /** Its role never arrives (the provider hangs). */
  hanging: 'a0000000-0000-4000-8000-000000000008',
  /** Its role provider answers something that is not a role. */
  garbled: 'a0000000-0000-4000-8000-000000000009',
} as const;

/** `x-test-user` naming the partner caller (`moniteAsPartner(entity)`): in an entity, no entity user. */
export const PARTNER_CALLER = 'partner';
/** `x-test-user` for the deprecated partner form `{ entityUserId: '', entityId }`. */
export const DEPRECATED_PARTNER_CALLER = '';

const all = (...actions: string[]) =>
  actions.map((action_name) => ({ action_name, permission: 'allowed' as const }));
const own = (...actions: string[]) =>
  actions.map((action_name) => ({ action_name, permission: 'allowed_for_own' as const }));
const WRITE = ['read', 'approve', 'update', 'delete', 'create'];

export const ROLES: Record<string, MoniteRole> = {
  [USERS.admin]: {
    name: 'admin',
    permissions: { objects: [{ object_type: 'payable', actions: all(...WRITE) }] },
  },
  [USERS.reader]: {
    name: 'reader',
    permissions: {
      objects: [
        { object_type: 'payable', actions: all('read') },
        { object_type: 'role', actions: all('read') },
      ],
    },
  },
  [USERS.ownerA]: {
    name: 'own',
    permissions: { objects: [{ object_type: 'payable', actions: own(...WRITE) }] },
  },
  [USERS.ownerB]: {
    name: 'own',
    permissions: { objects: [{ object_type: 'payable', actions: own(...WRITE) }] },
  },
  [USERS.denied]: {
    name: 'denied',
    permissions: {
      objects: [
        {
          object_type: 'payable',
          actions: [
            { action_name: 'read', permission: 'allowed' },
            { action_name: 'approve', permission: 'not_allowed' },
          ],
        },
      ],
    },
  },
  [USERS.futurist]: {
    name: 'futurist',
    permissions: {
      objects: [
        { object_type: 'payables', actions: all('read', 'approve') },
        { object_type: 'hologram', actions: all('read') },
        { object_type: 'payable', actions: all('approve_v2', 'teleport') },
      ],
    },
  },
};

/** What a class role provider's `getPartnerRole` grants the partner: read, and the rest only on own objects. */
export const PARTNER_ROLE: MoniteRole = {
  name: 'partner',
  permissions: {
    objects: [
      { object_type: 'payable', actions: [...all('read'), ...own('approve', 'update', 'delete', 'create')] },
    ],
  },
};

/** Every user `roleOf` was asked about: it must only ever be an entity user. */
export const ROLE_LOOKUPS: string[] = [];

/** The partner's ACL: a function role provider (partner-managed model). */
export async function roleOf(user: MoniteEntityUserRef): Promise<MoniteRole> {
  ROLE_LOOKUPS.push(user.entityUserId);
  if (user.entityUserId === USERS.broken) throw new Error('ACL database unreachable');
  if (user.entityUserId === USERS.hanging) return new Promise<MoniteRole>(() => undefined);
  if (user.entityUserId === USERS.garbled) return '<html>oops</html>' as unknown as MoniteRole;
  return ROLES[user.entityUserId] ?? { permissions: { objects: [] } };
}

/** Payables of the scenario apps: id -> creating entity user (null: unknown creator). */
export const PAYABLE_IDS = {
  ofA: 'b0000000-0000-4000-8000-00000000000a',
  ofB: 'b0000000-0000-4000-8000-00000000000b',
  unowned: 'b0000000-0000-4000-8000-00000000000c',
} as const;

export interface TestPayable {
  id: string;
  createdBy: string | null;
  amount: number;
}

export function seedPayables(): Map<string, TestPayable> {
  return new Map<string, TestPayable>([
    [PAYABLE_IDS.ofA, { id: PAYABLE_IDS.ofA, createdBy: USERS.ownerA, amount: 100 }],
    [PAYABLE_IDS.ofB, { id: PAYABLE_IDS.ofB, createdBy: USERS.ownerB, amount: 200 }],
    [PAYABLE_IDS.unowned, { id: PAYABLE_IDS.unowned, createdBy: null, amount: 300 }],
  ]);
}

interface TestRequest {
  headers: Record<string, string | undefined>;
  params?: Record<string, string>;
}

/** `resolveEntityUser` of the scenario apps: who the test says the caller is, spelled as the test spells it. */
export function userFromHeaders(context: ExecutionContext): MoniteCaller | undefined {
  const { headers } = context.switchToHttp().getRequest<TestRequest>();
  const entityUserId = headers['x-test-user'];
  const entityId = headers['x-test-entity'] ?? ENTITY;
  if (entityUserId === undefined) return undefined;
  return entityUserId === PARTNER_CALLER ? moniteAsPartner(entityId) : { entityUserId, entityId };
}

/** The headers `userFromHeaders` reads, naming `user` as the caller. */
export const testUserHeaders = (user: { id: string; entityId: string }): Record<string, string> => ({
  'x-test-user': user.id,
  'x-test-entity': user.entityId,
});

/** Module options of the guard apps against an emulator at `apiUrl`: demo credentials, monite-managed, callers from headers. */
export const emulatorGuardOptions = (apiUrl: string): MoniteAuthModuleOptions => ({
  clientId: DEMO_CLIENT.clientId,
  clientSecret: DEMO_CLIENT.clientSecret,
  apiUrl,
  securityModel: 'monite-managed',
  resolveEntityUser: userFromHeaders,
});

/** The same, resolved asynchronously (as a session lookup would be). */
export async function userFromHeadersAsync(context: ExecutionContext): Promise<MoniteCaller | undefined> {
  await new Promise((resolve) => setImmediate(resolve));
  return userFromHeaders(context);
}

/** An owner resolver function over a payables map, reading the `:id` route parameter. */
export function ownerFrom(payables: Map<string, TestPayable>): MoniteOwnerFunction {
  return (context, access) => {
    const payable = payables.get(context.switchToHttp().getRequest<TestRequest>().params?.id ?? '');
    access.object = payable;
    return payable?.createdBy;
  };
}
