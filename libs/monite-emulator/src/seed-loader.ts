import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MoniteEmulatorSeed } from './emulator.types.js';

/** Payable statuses Monite uses (PayableStateEnum, API 2024-05-25). */
export const PAYABLE_STATUSES = [
  'draft',
  'new',
  'approve_in_progress',
  'waiting_to_be_paid',
  'partially_paid',
  'paid',
  'canceled',
  'rejected',
] as const;

const uuid = z.guid({ error: 'must be a UUID' });
const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
/** object_type / action_name: snake_case words, as Monite names them. Unknown names are allowed (newer API versions add some). */
const snakeName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a snake_case name such as "payable"' });

/** zod schema of a role's `permissions` (shared with the `/roles` body validation). */
export const permissionsSchema = z.strictObject({
  objects: z
    .array(
      z.strictObject({
        object_type: snakeName,
        actions: z
          .array(
            z.strictObject({
              action_name: snakeName,
              permission: z.enum(['allowed', 'allowed_for_own', 'not_allowed']),
            }),
          )
          .superRefine((actions, ctx) => {
            const seen = new Set<string>();
            for (const [i, a] of actions.entries()) {
              if (seen.has(a.action_name))
                ctx.addIssue({ code: 'custom', path: [i, 'action_name'], message: 'Duplicate action_name' });
              seen.add(a.action_name);
            }
          }),
      }),
    )
    .superRefine((objects, ctx) => {
      const seen = new Set<string>();
      for (const [i, o] of objects.entries()) {
        if (seen.has(o.object_type))
          ctx.addIssue({ code: 'custom', path: [i, 'object_type'], message: 'Duplicate object_type' });
        seen.add(o.object_type);
      }
    }),
});

const seedSchema = z.strictObject({
  clients: z
    .array(
      z.strictObject({ clientId: uuid, clientSecret: z.string().min(1, { error: 'must not be empty' }) }),
    )
    .min(1, { error: 'needs at least one client' }),
  entities: z.array(z.strictObject({ id: uuid, name: nonEmpty })),
  roles: z.array(
    z.strictObject({ id: uuid, entityId: uuid, name: nonEmpty, permissions: permissionsSchema }),
  ),
  entityUsers: z.array(
    z.strictObject({
      id: uuid,
      entityId: uuid,
      roleId: uuid.optional(),
      name: nonEmpty,
      login: nonEmpty.optional(),
      email: z.email({ error: 'must be an email address' }).optional(),
    }),
  ),
  payables: z
    .array(
      z.looseObject({
        id: uuid,
        entityId: uuid,
        was_created_by_user_id: uuid.nullable(),
        amount: z.number().int().nonnegative({ error: 'must be >= 0' }),
        currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' }),
        status: z.enum(PAYABLE_STATUSES, { error: `must be one of ${PAYABLE_STATUSES.join(', ')}` }),
      }),
    )
    .optional(),
});

/** A seed that cannot be used; the message lists every problem with its JSON path. */
export class SeedError extends Error {
  constructor(
    source: string,
    readonly problems: string[],
  ) {
    super(`Invalid emulator seed (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

/**
 * Loads and validates a seed: an object, or the path of a JSON file. Checks the shape with zod,
 * then the references (unique ids, users' roles in their own entity, payable creators).
 * The client secrets are never part of an error message.
 */
export function loadSeed(seed: MoniteEmulatorSeed | string): MoniteEmulatorSeed {
  let raw: unknown = seed;
  let source = 'seed object';
  if (typeof seed === 'string') {
    source = seed;
    let text: string;
    try {
      text = readFileSync(seed, 'utf8');
    } catch (error) {
      throw new SeedError(source, [
        `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      ]);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new SeedError(source, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SeedError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${describeIssue(issue)}`),
    );
  }
  const data = structuredClone(parsed.data) as MoniteEmulatorSeed;
  const problems = checkReferences(data);
  if (problems.length > 0) throw new SeedError(source, problems);
  return data;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    // zod's own message names only types ("received undefined"), never the value.
    if (issue.message.endsWith('received undefined')) return 'required';
    return issue.expected === 'int' ? 'must be an integer (minor units)' : `expected ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  // Our own messages (set above) never include the input, so no secret can leak through them.
  return issue.message;
}

function checkReferences(seed: MoniteEmulatorSeed): string[] {
  const problems: string[] = [];
  const duplicates = (label: string, ids: string[]): void => {
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const lower = id.toLowerCase();
      if (seen.has(lower)) problems.push(`${label}[${i}]: duplicate id ${id}`);
      seen.add(lower);
    }
  };
  duplicates(
    'clients',
    seed.clients.map((c) => c.clientId),
  );
  duplicates(
    'entities',
    seed.entities.map((e) => e.id),
  );
  duplicates(
    'roles',
    seed.roles.map((r) => r.id),
  );
  duplicates(
    'entityUsers',
    seed.entityUsers.map((u) => u.id),
  );
  duplicates(
    'payables',
    (seed.payables ?? []).map((p) => p.id),
  );

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
  for (const [i, payable] of (seed.payables ?? []).entries()) {
    if (!entities.has(payable.entityId.toLowerCase()))
      problems.push(`payables[${i}].entityId: no entity ${payable.entityId}`);
    const creator = payable.was_created_by_user_id;
    if (creator !== null) {
      const user = users.get(creator.toLowerCase());
      if (!user) problems.push(`payables[${i}].was_created_by_user_id: no entity user ${creator}`);
      else if (user.entityId.toLowerCase() !== payable.entityId.toLowerCase()) {
        problems.push(`payables[${i}].was_created_by_user_id: user ${creator} belongs to another entity`);
      }
    }
  }
  return problems;
}
