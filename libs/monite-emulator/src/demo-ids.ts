/**
 * Ids of the demo seed: fixed, memorable, valid v4 UUIDs `00000000-0000-4000-8000-00000000KNNN`,
 * where K is 1 for entities, 2 roles, 3 users, 4 payables, 5 the other owned objects.
 */
export function demoId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}
