import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { MoniteMalformedResponseError } from '../errors/index.js';
import type { MoniteObjectPermissions, MoniteRole } from '../monite-role.js';
import { isMoniteObjectType, isMonitePermission } from './permission-matrix.js';

/**
 * The shape of a role (MONITE-API.md "Roles and the current user"). Checked strictly where a mistake
 * could grant something: every action needs a name and one of Monite's three permission values; no
 * defaults are filled in (Monite's own schema defaults a missing permission to `allowed`, which a
 * guard must never do). Missing or null `objects` / `actions` lists mean "nothing granted".
 */
const roleSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  status: z.enum(['active', 'deleted']).optional().catch(undefined),
  permissions: z.object({
    objects: z
      .array(
        z.object({
          object_type: z.string().min(1),
          actions: z
            .array(
              z.object({
                action_name: z.string().min(1),
                permission: z.enum(['allowed', 'allowed_for_own', 'not_allowed']),
              }),
            )
            .nullish(),
        }),
      )
      .nullish(),
  }),
});

const logger = new Logger('MonitePermissions');
/** Names already reported, so a role fetched on every cache miss logs each unknown name once. Bounded. */
const reported = new Set<string>();
const MAX_REPORTED = 1000;

function reportUnknown(name: string, what: string): void {
  if (reported.has(name) || reported.size >= MAX_REPORTED) return;
  reported.add(name);
  // Quoted and cut: the name comes from outside and must not forge log lines.
  const shown = JSON.stringify(name.slice(0, 100));
  logger.warn(`Ignoring ${what} ${shown} in a Monite role: not in this library's permission matrix`);
}

/**
 * Validates a role that came from Monite or from a role provider (untrusted input) and keeps only
 * what the permission matrix knows. Object types and actions the matrix does not know are dropped and
 * logged once per distinct name, so a newer Monite API version never breaks the guard.
 *
 * @throws MoniteMalformedResponseError when the value is not a role; the message names the first
 *   bad path, never a value.
 */
export function parseMoniteRole(input: unknown): MoniteRole {
  const result = roleSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'role';
    throw new MoniteMalformedResponseError(`Malformed Monite role: ${path} is invalid`);
  }
  const { id, name, status, permissions } = result.data;
  const objects: MoniteObjectPermissions[] = [];
  for (const object of permissions.objects ?? []) {
    if (!isMoniteObjectType(object.object_type)) {
      reportUnknown(object.object_type, 'object type');
      continue;
    }
    const actions = [];
    for (const action of object.actions ?? []) {
      if (isMonitePermission(object.object_type, action.action_name)) actions.push(action);
      else reportUnknown(`${object.object_type}.${action.action_name}`, 'action');
    }
    objects.push({ object_type: object.object_type, actions });
  }
  return { id, name, status, permissions: { objects } };
}
