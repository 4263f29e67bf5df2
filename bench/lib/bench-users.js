/** The id of bench entity user `i`: a valid UUID, the same in the bench and in its emulator process. */
export function benchUserId(i) {
  return `c0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** The entity of every bench user. */
export const BENCH_ENTITY = 'e0000000-0000-4000-8000-000000000001';
