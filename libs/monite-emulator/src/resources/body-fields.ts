import { z } from 'zod';

/**
 * Building blocks for request bodies as Monite's OpenAPI document types them. Bodies are strict
 * (Monite's schemas say `additionalProperties: false`): an unknown field is a 422.
 */

export const uuid = z.guid();
/** ISO 4217 code (Monite's `CurrencyEnum`). */
export const currency = z.string().regex(/^[A-Z]{3}$/);
/** ISO 3166-1 alpha-2 code (Monite's `AllowedCountries`). */
export const country = z.string().regex(/^[A-Z]{2}$/);
export const date = z.iso.date();
export const dateTime = z.iso.datetime({ offset: true });
/** A string of 1..max characters. */
export const name = (max: number) => z.string().min(1).max(max);
/** An integer amount in minor units. */
export const minorUnits = z.number().int().min(0);
/** A JSON object whose inner fields the emulator keeps without checking them. */
export const jsonObject = z.record(z.string(), z.unknown());
/** A list of JSON objects, at least one (line items). */
export const items = z.array(jsonObject).min(1);

/** pydantic's `Optional[...] = None`: absent, null, or the type. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullable().optional();
}

/** Fields a body may carry whose value the emulator stores without checking its inner shape. */
export function unchecked(...names: string[]): Record<string, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(names.map((n) => [n, z.unknown().optional()]));
}

/** Every field of a shape made optional (PATCH bodies). */
export function allOptional<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape).partial();
}

/** A postal address (Monite's `CounterpartAddress` / `PersonAddressRequest`). */
export const address = z.strictObject({
  city: z.string(),
  country,
  line1: z.string(),
  line2: optional(z.string()),
  postal_code: z.string(),
  state: optional(z.string()),
});
