import type { z } from 'zod';
import type { OwnedSeedKey } from '../emulator.types.js';

/** A list query parameter that filters on a field of the object as the API shows it. */
export interface ListFilter {
  /** The query parameter, e.g. `created_by_entity_user_id`. */
  query: string;
  /** The field it compares with (case-insensitively), e.g. the creator field. */
  field: string;
  /** Monite refuses the list without it (422), e.g. `object_id` on `/comments`. */
  required?: boolean;
}

/**
 * One object type a role can own, as Monite serves it: where it lives, which field names its
 * creator, which routes exist and what their bodies must hold (from Monite's OpenAPI document).
 * The generic routes in `owned-resource.routes.ts` serve every spec alike.
 */
export interface OwnedResourceSpec {
  /** The role's `object_type`, e.g. `receivable`. */
  readonly objectType: string;
  /** Collection path under `/v1`, e.g. `/receivables`. */
  readonly path: string;
  /** Monite's name of the id path parameter (FastAPI's 422 `loc`), e.g. `receivable_id`. */
  readonly idName: string;
  /** For messages: `Receivable not found`. */
  readonly label: string;
  /** The field naming the entity user who created the object (what `allowed_for_own` compares). */
  readonly creatorField: string;
  /** The array of such objects in a seed. */
  readonly seedKey: OwnedSeedKey;
  readonly list: {
    /** Monite's cursor pagination (`limit`, `pagination_token`); `false`: one `{data}` with everything. */
    paginated: boolean;
    filters?: readonly ListFilter[];
  };
  readonly create: {
    /** The request body, validated as Monite's FastAPI does (422 with `detail`). */
    body: z.ZodType<Record<string, unknown>>;
    /** Success status Monite documents for the create. */
    status: 200 | 201;
    /** What the create answers: the object (default) or only `{id}` (an export job). */
    answer?: 'object' | 'id';
    /** Fields Monite sets itself on a new object (e.g. its first status). */
    defaults?: Readonly<Record<string, unknown>>;
  };
  /** `PATCH /{id}`, where Monite has it. */
  readonly update?: {
    body: z.ZodType<Record<string, unknown>>;
    /** Fields to merge from a valid body; default the body itself. */
    toFields?: (body: Record<string, unknown>) => Record<string, unknown>;
  };
  /** Whether Monite has `DELETE /{id}`. */
  readonly remove: boolean;
  /**
   * The creator field is also a body field (payment records' `entity_user_id`): the partner may
   * name the creator; an entity user is always recorded as the creator itself.
   */
  readonly creatorInBody?: boolean;
}
