import { z } from 'zod';

/** object_type / action_name: snake_case words, as Monite names them. Unknown names are allowed (newer API versions add some). */
const snakeName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a snake_case name such as "payable"' });

/** zod schema of a role's `permissions` (seeds, the `/roles` bodies and `setRolePermissions`). */
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
