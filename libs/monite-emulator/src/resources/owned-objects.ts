import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** An owned object as the emulator keeps it. */
export interface StoredOwnedObject {
  id: string;
  entityId: string;
  /** The entity user who created it; null when the partner did. */
  creatorId: string | null;
  created_at: string;
  updated_at: string;
  /** Every other field, returned as it is. */
  fields: Record<string, unknown>;
}

/** The object as the API shows it: its fields, then the ones the emulator owns. */
export function ownedObjectView(spec: OwnedResourceSpec, object: StoredOwnedObject): Record<string, unknown> {
  return {
    ...structuredClone(object.fields),
    id: object.id,
    entity_id: object.entityId,
    [spec.creatorField]: object.creatorId,
    created_at: object.created_at,
    updated_at: object.updated_at,
  };
}

/** A seed item (already validated) as a stored object. */
export function ownedObjectFromSeed(
  spec: OwnedResourceSpec,
  item: Record<string, unknown>,
  now: string,
): StoredOwnedObject {
  const { id, entityId, created_at, updated_at, [spec.creatorField]: creator, ...fields } = item;
  return {
    id: (id as string).toLowerCase(),
    entityId: (entityId as string).toLowerCase(),
    creatorId: typeof creator === 'string' ? creator.toLowerCase() : null,
    created_at: typeof created_at === 'string' ? created_at : now,
    updated_at: typeof updated_at === 'string' ? updated_at : now,
    fields: structuredClone(fields),
  };
}

/**
 * Merges PATCH fields into an object: `null` removes a field, a nested object is merged one level
 * deep (`{organization: {legal_name}}` keeps the organization's other fields), anything else replaces.
 */
export function mergeFields(target: Record<string, unknown>, changes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = target[key];
    target[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
