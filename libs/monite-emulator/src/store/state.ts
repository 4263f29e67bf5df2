import { randomUUID } from 'node:crypto';
import type { MoniteEmulatorSeed, SeedRole } from '../emulator.types.js';
import { ownedObjectFromSeed, type StoredOwnedObject } from '../resources/owned-objects.js';
import { OWNED_RESOURCES } from '../resources/owned-resources.js';

export type RolePermissions = SeedRole['permissions'];

export interface StoredClient {
  clientId: string;
  clientSecret: string;
}

export interface StoredEntity {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface StoredRole {
  id: string;
  entityId: string;
  name: string;
  permissions: RolePermissions;
  status: 'active';
  created_at: string;
  updated_at: string;
}

export interface StoredEntityUser {
  id: string;
  entityId: string;
  roleId: string | null;
  first_name: string;
  last_name: string | null;
  login: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  status: 'active';
  created_at: string;
  updated_at: string;
}

export interface StoredPayable {
  id: string;
  entityId: string;
  was_created_by_user_id: string | null;
  amount: number;
  currency: string;
  status: string;
  created_at: string;
  updated_at: string;
  /** Any other fields (from the seed or the create body), returned as they are. */
  extra: Record<string, unknown>;
}

/**
 * The emulator's data: clients, entities, roles, entity users, payables and the other owned objects, built from a
 * (validated) seed. Ids are kept lower-case; lookups lower-case their argument.
 */
export class EmulatorState {
  readonly clients = new Map<string, StoredClient>();
  readonly entities = new Map<string, StoredEntity>();
  readonly roles = new Map<string, StoredRole>();
  readonly users = new Map<string, StoredEntityUser>();
  readonly payables = new Map<string, StoredPayable>();
  /** Objects of the other owned types, by object type, then id. */
  private readonly owned = new Map<string, Map<string, StoredOwnedObject>>();

  constructor(seed: MoniteEmulatorSeed, nowMs: number) {
    const now = new Date(nowMs).toISOString();
    for (const c of seed.clients)
      this.clients.set(c.clientId.toLowerCase(), { ...c, clientId: c.clientId.toLowerCase() });
    for (const e of seed.entities) {
      this.entities.set(e.id.toLowerCase(), {
        id: e.id.toLowerCase(),
        name: e.name,
        created_at: now,
        updated_at: now,
      });
    }
    for (const r of seed.roles) {
      this.roles.set(r.id.toLowerCase(), {
        id: r.id.toLowerCase(),
        entityId: r.entityId.toLowerCase(),
        name: r.name,
        permissions: structuredClone(r.permissions),
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    }
    for (const u of seed.entityUsers) {
      const [first, ...rest] = u.name.trim().split(/\s+/);
      this.users.set(u.id.toLowerCase(), {
        id: u.id.toLowerCase(),
        entityId: u.entityId.toLowerCase(),
        roleId: u.roleId?.toLowerCase() ?? null,
        first_name: first ?? u.name,
        last_name: rest.length > 0 ? rest.join(' ') : null,
        login: u.login ?? u.name.trim().toLowerCase().replace(/\s+/g, '.'),
        email: u.email ?? null,
        phone: null,
        title: null,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    }
    for (const p of seed.payables ?? []) {
      const { id, entityId, was_created_by_user_id, amount, currency, status, ...extra } = p;
      this.payables.set(id.toLowerCase(), {
        id: id.toLowerCase(),
        entityId: entityId.toLowerCase(),
        was_created_by_user_id: was_created_by_user_id?.toLowerCase() ?? null,
        amount,
        currency,
        status,
        created_at: typeof extra['created_at'] === 'string' ? extra['created_at'] : now,
        updated_at: typeof extra['updated_at'] === 'string' ? extra['updated_at'] : now,
        extra: Object.fromEntries(
          Object.entries(extra).filter(([k]) => k !== 'created_at' && k !== 'updated_at'),
        ),
      });
    }
    for (const spec of OWNED_RESOURCES) {
      const objects = this.ownedObjects(spec.objectType);
      for (const item of seed[spec.seedKey] ?? []) {
        const object = ownedObjectFromSeed(spec, item, now);
        objects.set(object.id, object);
      }
    }
  }

  /** The objects of one owned type (an empty map for a type with none yet). */
  ownedObjects(objectType: string): Map<string, StoredOwnedObject> {
    let objects = this.owned.get(objectType);
    if (!objects) {
      objects = new Map();
      this.owned.set(objectType, objects);
    }
    return objects;
  }

  /** A fresh id for a created object. */
  newId(): string {
    return randomUUID();
  }

  /** The role an entity user acts with; `undefined` when none is set or it no longer exists (nothing allowed). */
  roleOf(user: StoredEntityUser): StoredRole | undefined {
    if (user.roleId === null) return undefined;
    const role = this.roles.get(user.roleId);
    return role && role.entityId === user.entityId ? role : undefined;
  }

  /** An object by id, only if it belongs to `entityId` (objects of other entities do not exist for the caller). */
  inEntity<T extends { entityId: string }>(map: Map<string, T>, id: string, entityId: string): T | undefined {
    const found = map.get(id.toLowerCase());
    return found && found.entityId === entityId ? found : undefined;
  }
}
