import type { MoniteEmulatorSeed } from '../emulator.types.js';
import { OWNED_RESOURCES } from '../resources/owned-resources.js';

interface Created {
  id: string;
  entityId: string;
}

/**
 * What the schema cannot see: unique ids, references to entities and roles, and creators that
 * are entity users of the object's own entity. Each problem names its JSON path.
 */
export function checkReferences(seed: MoniteEmulatorSeed): string[] {
  const problems: string[] = [];
  const duplicates = (label: string, ids: string[]): void => {
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const lower = id.toLowerCase();
      if (seen.has(lower)) problems.push(`${label}[${i}]: duplicate id ${id}`);
      seen.add(lower);
    }
  };
  const idLists: [label: string, ids: string[]][] = [
    ['clients', seed.clients.map((c) => c.clientId)],
    ['entities', seed.entities.map((e) => e.id)],
    ['roles', seed.roles.map((r) => r.id)],
    ['entityUsers', seed.entityUsers.map((u) => u.id)],
  ];
  for (const [label, ids] of idLists) duplicates(label, ids);

  const entities = new Set(seed.entities.map((e) => e.id.toLowerCase()));
  const roles = new Map(seed.roles.map((r) => [r.id.toLowerCase(), r]));
  const users = new Map(seed.entityUsers.map((u) => [u.id.toLowerCase(), u]));
  for (const [i, role] of seed.roles.entries()) {
    if (!entities.has(role.entityId.toLowerCase()))
      problems.push(`roles[${i}].entityId: no entity ${role.entityId}`);
  }
  for (const [i, user] of seed.entityUsers.entries()) {
    if (!entities.has(user.entityId.toLowerCase()))
      problems.push(`entityUsers[${i}].entityId: no entity ${user.entityId}`);
    if (user.roleId !== undefined) {
      const role = roles.get(user.roleId.toLowerCase());
      if (!role) problems.push(`entityUsers[${i}].roleId: no role ${user.roleId}`);
      else if (role.entityId.toLowerCase() !== user.entityId.toLowerCase()) {
        problems.push(`entityUsers[${i}].roleId: role ${user.roleId} belongs to another entity`);
      }
    }
  }
  const logins = new Set<string>();
  for (const [i, user] of seed.entityUsers.entries()) {
    if (user.login === undefined) continue;
    const key = `${user.entityId.toLowerCase()}/${user.login}`;
    if (logins.has(key)) problems.push(`entityUsers[${i}].login: duplicate login in the entity`);
    logins.add(key);
  }

  /** Ids unique per type, the entity known, the creator a user of that entity. */
  const checkCreated = (label: string, objects: Created[], creatorField: string): void => {
    duplicates(
      label,
      objects.map((o) => o.id),
    );
    for (const [i, object] of objects.entries()) {
      if (!entities.has(object.entityId.toLowerCase()))
        problems.push(`${label}[${i}].entityId: no entity ${object.entityId}`);
      const creator = (object as unknown as Record<string, unknown>)[creatorField];
      if (typeof creator !== 'string') continue;
      const user = users.get(creator.toLowerCase());
      if (!user) problems.push(`${label}[${i}].${creatorField}: no entity user ${creator}`);
      else if (user.entityId.toLowerCase() !== object.entityId.toLowerCase()) {
        problems.push(`${label}[${i}].${creatorField}: user ${creator} belongs to another entity`);
      }
    }
  };
  checkCreated('payables', seed.payables ?? [], 'was_created_by_user_id');
  for (const spec of OWNED_RESOURCES) checkCreated(spec.seedKey, seed[spec.seedKey] ?? [], spec.creatorField);
  return problems;
}
