import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** Which part of the request a pipe validates, for the error message. */
export type RequestPart = 'body' | 'query' | 'path';

/**
 * Validates one part of a request with a zod schema and hands the parsed value to the handler.
 * Anything else is a 400 listing each problem by field, before any call to Monite, so a bad
 * request changes nothing. The offending values are never echoed.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  /** `field` names the value in messages when it is a single one (a path parameter). */
  constructor(
    private readonly schema: S,
    private readonly part: RequestPart,
    private readonly field?: string,
  ) {}

  transform(value: unknown): z.output<S> {
    // Express and Fastify disagree on an absent body (undefined vs {}): both mean "no fields".
    const input =
      this.part === 'body' && (value === undefined || value === null || value === '') ? {} : value;
    const parsed = this.schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.flatMap((issue) => {
      const where = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${[where, key].filter(Boolean).join('.')}: unknown field`);
      }
      return [`${where || this.field || this.part}: ${issue.message}`];
    });
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request ${this.part}: ${problems.join('; ')}`,
      problems,
    });
  }
}
