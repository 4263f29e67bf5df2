import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { MoniteEmulatorSeed } from './emulator.types.js';
import { valueAt } from './http/validation.js';
import { checkReferences } from './seed/seed-references.js';
import { seedSchema } from './seed/seed-schema.js';

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
 * then the references (unique ids, users' roles in their own entity, object creators).
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
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${describeIssue(issue, raw)}`),
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

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type') {
    // zod's own message names only types ("received undefined"), never the value. A field left
    // out has no value at its path, whatever type zod expected.
    if (issue.message.endsWith('received undefined') || valueAt(input, issue.path) === undefined)
      return 'required';
    return issue.expected === 'int' ? 'must be an integer (minor units)' : `expected ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  // Our own messages (set above) never include the input, so no secret can leak through them.
  return issue.message;
}
