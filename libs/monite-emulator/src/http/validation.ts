import type { z } from 'zod';
import { validationError, type ValidationDetail } from './http-error.js';

type Loc = (string | number)[];

/**
 * Validates `value` with a zod schema and returns the parsed data, or throws Monite's 422 with
 * FastAPI/pydantic-style details. The offending input is never copied into the answer: it may be
 * a client secret.
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, locPrefix: Loc): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error.issues.flatMap((issue) => toDetails(issue, value, locPrefix)));
}

function toDetails(issue: z.core.$ZodIssue, input: unknown, prefix: Loc): ValidationDetail[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const loc = [...prefix, ...path];
  switch (issue.code) {
    case 'invalid_union':
      if (issue.errors.length === 0)
        return [{ loc, msg: 'Input matches none of the allowed forms', type: 'union_tag_invalid' }];
      // pydantic reports the alternative that came closest; so do we (the one with fewest problems).
      return closestAlternative(issue.errors).flatMap((inner) =>
        toDetails({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, input, prefix),
      );
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      }));
    case 'invalid_type':
      if (valueAt(input, path) === undefined) return [{ loc, msg: 'Field required', type: 'missing' }];
      return [typeDetail(loc, issue.expected)];
    case 'invalid_format':
      return [formatDetail(loc, issue.format)];
    case 'invalid_value':
      if (valueAt(input, path) === undefined) return [{ loc, msg: 'Field required', type: 'missing' }];
      return [
        {
          loc,
          msg: `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`,
          type: 'enum',
        },
      ];
    case 'too_small':
      return [
        issue.origin === 'string'
          ? { loc, msg: `String should have at least ${issue.minimum} characters`, type: 'string_too_short' }
          : issue.origin === 'array'
            ? { loc, msg: `List should have at least ${issue.minimum} items`, type: 'too_short' }
            : {
                loc,
                msg: `Input should be greater than or equal to ${issue.minimum}`,
                type: 'greater_than_equal',
              },
      ];
    case 'too_big':
      return [
        issue.origin === 'string'
          ? { loc, msg: `String should have at most ${issue.maximum} characters`, type: 'string_too_long' }
          : issue.origin === 'array'
            ? { loc, msg: `List should have at most ${issue.maximum} items`, type: 'too_long' }
            : { loc, msg: `Input should be less than or equal to ${issue.maximum}`, type: 'less_than_equal' },
      ];
    default:
      // Custom refinements carry our own fixed messages, never the input.
      return [{ loc, msg: issue.message, type: 'value_error' }];
  }
}

function closestAlternative(alternatives: z.core.$ZodIssue[][]): z.core.$ZodIssue[] {
  return alternatives.reduce((best, next) => (next.length < best.length ? next : best));
}

function typeDetail(loc: Loc, expected: string): ValidationDetail {
  switch (expected) {
    case 'string':
      return { loc, msg: 'Input should be a valid string', type: 'string_type' };
    case 'int':
      return { loc, msg: 'Input should be a valid integer', type: 'int_type' };
    case 'number':
      return { loc, msg: 'Input should be a valid number', type: 'float_type' };
    case 'boolean':
      return { loc, msg: 'Input should be a valid boolean', type: 'bool_type' };
    case 'array':
      return { loc, msg: 'Input should be a valid list', type: 'list_type' };
    case 'object':
      return {
        loc,
        msg: 'Input should be a valid dictionary or object to extract fields from',
        type: 'model_attributes_type',
      };
    default:
      return { loc, msg: `Input should be a valid ${expected}`, type: `${expected}_type` };
  }
}

function formatDetail(loc: Loc, format: string): ValidationDetail {
  switch (format) {
    case 'uuid':
    case 'guid':
      return { loc, msg: 'Input should be a valid UUID', type: 'uuid_parsing' };
    case 'email':
      return { loc, msg: 'value is not a valid email address', type: 'value_error' };
    case 'date':
      return {
        loc,
        msg: 'Input should be a valid date in the format YYYY-MM-DD',
        type: 'date_from_datetime_parsing',
      };
    case 'regex':
      return { loc, msg: 'String should match the expected pattern', type: 'string_pattern_mismatch' };
    default:
      return { loc, msg: `Input should be a valid ${format}`, type: 'value_error' };
  }
}

/** The value at `path` inside `input`; undefined when the path is missing or runs through a non-object. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
