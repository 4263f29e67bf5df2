import type {
  MoniteEmulatorSeed,
  SeedClient,
  SeedEntity,
  SeedEntityUser,
  SeedPayable,
  SeedRole,
} from './emulator.types.js';
import { demoId as id } from './demo-ids.js';
import { demoObjectSeed } from './demo-objects.js';
import { everything, ownOnEveryOwnedType, permissions, type Grants } from './demo-grants.js';

/**
 * The demo seed: two entities, roles from full admin to read-own-only, users for each, payables
 * and objects of every other owned type created by different users (ids: `demo-ids.ts`).
 */

/** The demo API client (partner credentials). Not a secret: never use it outside the emulator. */
export const DEMO_CLIENT: SeedClient = Object.freeze({
  clientId: id(1),
  clientSecret: 'demo-secret-not-for-production',
});

/** The demo entities. */
export const DEMO_ENTITIES = Object.freeze({
  acme: Object.freeze({ id: id(1001), name: 'Acme Supplies GmbH' }),
  globex: Object.freeze({ id: id(1002), name: 'Globex Trading Ltd' }),
}) satisfies Record<string, SeedEntity>;

const apClerkGrants: Grants = {
  payable: {
    create: 'allowed_for_own',
    read: 'allowed_for_own',
    update: 'allowed_for_own',
    delete: 'allowed_for_own',
    submit: 'allowed_for_own',
    approve: 'not_allowed',
    pay: 'not_allowed',
  },
  entity_user: { read: 'allowed_for_own', update: 'allowed_for_own' },
  role: { read: 'allowed_for_own' },
  ...ownOnEveryOwnedType(),
};

/** The demo roles, by short name. */
export const DEMO_ROLES = Object.freeze({
  /** Everything in Monite's permission matrix allowed. */
  admin: {
    id: id(2001),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'Admin',
    permissions: permissions(everything('allowed')),
  },
  /** Reads all payables and approves them; edits only the ones they created. */
  approver: {
    id: id(2002),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'Approver',
    permissions: permissions({
      payable: { read: 'allowed', approve: 'allowed', create: 'allowed_for_own', update: 'allowed_for_own' },
      entity_user: { read: 'allowed' },
      role: { read: 'allowed_for_own' },
    }),
  },
  /**
   * Accounts-payable clerk: enters payables and works only on their own; may not approve or pay;
   * edits only their own profile; acts on their own objects of every other owned type.
   */
  apClerk: {
    id: id(2003),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'AP clerk',
    permissions: permissions(apClerkGrants),
  },
  /** Reads all payables and pays them. */
  treasurer: {
    id: id(2004),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'Treasurer',
    permissions: permissions({
      payable: { read: 'allowed', pay: 'allowed' },
      entity_user: { read: 'allowed' },
    }),
  },
  /** Reads everything, changes nothing. */
  auditor: {
    id: id(2005),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'Auditor',
    permissions: permissions(everything('allowed', (a) => a === 'read')),
  },
  /** Reads only the payables they created; nothing else. */
  ownReader: {
    id: id(2006),
    entityId: DEMO_ENTITIES.acme.id,
    name: 'Own payables reader',
    permissions: permissions({ payable: { read: 'allowed_for_own' } }),
  },
  globexAdmin: {
    id: id(2101),
    entityId: DEMO_ENTITIES.globex.id,
    name: 'Admin',
    permissions: permissions(everything('allowed')),
  },
  globexApClerk: {
    id: id(2102),
    entityId: DEMO_ENTITIES.globex.id,
    name: 'AP clerk',
    permissions: permissions(apClerkGrants),
  },
}) satisfies Record<string, SeedRole>;

/** A demo user, with the name of its role for display (`null`: no role, so nothing is allowed). */
export type DemoUser = SeedEntityUser & { login: string; email: string; roleName: string | null };

function user(
  n: number,
  entity: SeedEntity,
  name: string,
  login: string,
  role: SeedRole | undefined,
): DemoUser {
  const domain = entity.id === DEMO_ENTITIES.acme.id ? 'acme.example' : 'globex.example';
  return {
    id: id(n),
    entityId: entity.id,
    ...(role ? { roleId: role.id } : {}),
    name,
    login,
    email: `${login}@${domain}`,
    roleName: role?.name ?? null,
  };
}

/** The demo entity users, by first name. */
export const DEMO_USERS = Object.freeze({
  alice: user(3001, DEMO_ENTITIES.acme, 'Alice Admin', 'alice', DEMO_ROLES.admin),
  bob: user(3002, DEMO_ENTITIES.acme, 'Bob Approver', 'bob', DEMO_ROLES.approver),
  carol: user(3003, DEMO_ENTITIES.acme, 'Carol Clerk', 'carol', DEMO_ROLES.apClerk),
  dave: user(3004, DEMO_ENTITIES.acme, 'Dave Treasurer', 'dave', DEMO_ROLES.treasurer),
  erin: user(3005, DEMO_ENTITIES.acme, 'Erin Auditor', 'erin', DEMO_ROLES.auditor),
  frank: user(3006, DEMO_ENTITIES.acme, 'Frank Viewer', 'frank', DEMO_ROLES.ownReader),
  nora: user(3007, DEMO_ENTITIES.acme, 'Nora Norole', 'nora', undefined),
  grace: user(3101, DEMO_ENTITIES.globex, 'Grace Admin', 'grace', DEMO_ROLES.globexAdmin),
  heidi: user(3102, DEMO_ENTITIES.globex, 'Heidi Clerk', 'heidi', DEMO_ROLES.globexApClerk),
}) satisfies Record<string, DemoUser>;

function payable(
  n: number,
  entity: SeedEntity,
  creator: SeedEntityUser | null,
  amount: number,
  currency: string,
  status: string,
  description: string,
): SeedPayable {
  return {
    id: id(n),
    entityId: entity.id,
    was_created_by_user_id: creator?.id ?? null,
    amount,
    currency,
    status,
    description,
  };
}

/** The demo payables, by short name (amounts in minor units). */
export const DEMO_PAYABLES = Object.freeze({
  carolNew: payable(4001, DEMO_ENTITIES.acme, DEMO_USERS.carol, 125_000, 'EUR', 'new', 'Office chairs'),
  carolApproved: payable(
    4002,
    DEMO_ENTITIES.acme,
    DEMO_USERS.carol,
    48_000,
    'EUR',
    'waiting_to_be_paid',
    'Laptop stands',
  ),
  frankNew: payable(4003, DEMO_ENTITIES.acme, DEMO_USERS.frank, 9_900, 'EUR', 'new', 'Team lunch'),
  bobPaid: payable(
    4004,
    DEMO_ENTITIES.acme,
    DEMO_USERS.bob,
    300_000,
    'EUR',
    'paid',
    'Annual software licence',
  ),
  partnerNew: payable(
    4005,
    DEMO_ENTITIES.acme,
    null,
    15_000,
    'EUR',
    'new',
    'Cloud hosting (imported by the partner)',
  ),
  aliceDraft: payable(4006, DEMO_ENTITIES.acme, DEMO_USERS.alice, 2_500, 'EUR', 'draft', 'Coffee beans'),
  heidiNew: payable(4101, DEMO_ENTITIES.globex, DEMO_USERS.heidi, 72_000, 'USD', 'new', 'Warehouse shelving'),
  graceApproved: payable(
    4102,
    DEMO_ENTITIES.globex,
    DEMO_USERS.grace,
    18_000,
    'USD',
    'waiting_to_be_paid',
    'Forklift service',
  ),
  globexPartnerNew: payable(
    4103,
    DEMO_ENTITIES.globex,
    null,
    5_000,
    'USD',
    'new',
    'Bank fees (imported by the partner)',
  ),
}) satisfies Record<string, SeedPayable>;

/** The whole demo seed, loaded when no seed is given. */
export const DEMO_SEED: MoniteEmulatorSeed = Object.freeze({
  clients: [{ ...DEMO_CLIENT }],
  entities: Object.values(DEMO_ENTITIES).map((e) => ({ ...e })),
  roles: Object.values(DEMO_ROLES).map((r) => structuredClone(r)),
  entityUsers: Object.values(DEMO_USERS).map(({ roleName: _roleName, ...u }) => ({ ...u })),
  payables: Object.values(DEMO_PAYABLES).map((p) => ({ ...p })),
  ...demoObjectSeed(),
});
