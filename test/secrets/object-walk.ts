/*
 * Everything reachable from some roots, the way a debugger or `util.inspect` could reach it: own
 * properties (enumerable or not, symbol-keyed too), getter values (own, and those of a class's
 * prototype), Map and Set entries, array items. `util.inspect` itself cannot be trusted to go all
 * the way: past 2^27 characters of output it silently stops descending, so one inspection of a
 * Nest container shows `[Module]` where the providers are. Walking object by object, and rendering
 * each one shallowly, has no such limit.
 */
import { inspect, type InspectOptions } from 'node:util';

/** Prototypes of the language and of Node: their properties are the same for every app. */
const BUILT_IN_PROTOTYPES = new Set<unknown>(
  [
    Object,
    Function,
    Array,
    Map,
    Set,
    WeakMap,
    WeakSet,
    Promise,
    Error,
    RegExp,
    Date,
    ArrayBuffer,
    Uint8Array,
    Buffer,
    EventTarget,
    AbortSignal,
    AbortController,
  ].map((type) => type.prototype),
);
BUILT_IN_PROTOTYPES.add(Object.getPrototypeOf(Uint8Array.prototype));
BUILT_IN_PROTOTYPES.add(Object.getPrototypeOf(async function* () {}).prototype);

/** Shallow and revealing: hidden properties, getters, no custom views; one level of children. */
const SHALLOW: InspectOptions = {
  depth: 1,
  showHidden: true,
  getters: true,
  customInspect: false,
  maxArrayLength: Infinity,
  maxStringLength: Infinity,
  breakLength: Infinity,
};

/** Every object reachable from `roots` (each once), up to `limit` of them. */
export function reachableObjects(roots: readonly unknown[], limit = 1_000_000): Set<object> {
  const seen = new Set<object>();
  const queue: unknown[] = [...roots];
  while (queue.length > 0 && seen.size < limit) {
    const value = queue.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    if (seen.has(value) || BUILT_IN_PROTOTYPES.has(value)) continue;
    seen.add(value);
    for (const child of children(value)) queue.push(child);
  }
  return seen;
}

function children(value: object): unknown[] {
  const found: unknown[] = [];
  try {
    if (value instanceof Map) {
      for (const [key, item] of value) found.push(key, item);
    } else if (value instanceof Set) {
      for (const item of value) found.push(item);
    }
  } catch {
    // A Map or Set prototype (a subclass's), not a collection.
  }
  if (ArrayBuffer.isView(value)) return found;
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined) continue;
    if ('value' in descriptor) found.push(descriptor.value);
    else found.push(readGetter(value, descriptor.get));
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && !BUILT_IN_PROTOTYPES.has(prototype)) {
    found.push(prototype);
    // A class's accessors, read on the instance (as `util.inspect` with `getters` shows them).
    if (typeof value !== 'function') {
      for (const key of Reflect.ownKeys(prototype)) {
        const getter = Reflect.getOwnPropertyDescriptor(prototype, key)?.get;
        if (getter !== undefined) found.push(readGetter(value, getter));
      }
    }
  }
  return found;
}

function readGetter(target: object, getter: (() => unknown) | undefined): unknown {
  try {
    return getter?.call(target);
  } catch {
    return undefined;
  }
}

/** How each object shows, shallowly: `util.inspect` with everything revealed, one level deep. */
export function shallowRenderings(objects: Iterable<object>): string[] {
  const texts: string[] = [];
  for (const value of objects) {
    try {
      texts.push(inspect(value, SHALLOW));
    } catch (error) {
      texts.push(`inspect threw: ${String((error as Error)?.message)}`);
    }
  }
  return texts;
}

/** Texts that contain one of `secrets` (few secrets, much text: one indexOf each). */
export function textsWithSecrets(texts: readonly string[], secrets: Iterable<string>): string[] {
  const found: string[] = [];
  const all = [...secrets].filter((secret) => secret.length > 0);
  for (const text of texts) {
    for (const secret of all) {
      const at = text.indexOf(secret);
      if (at !== -1) {
        found.push(
          `a secret of length ${secret.length} at ${at}, after: ${text.slice(Math.max(0, at - 120), at)}`,
        );
        break;
      }
    }
  }
  return found;
}
