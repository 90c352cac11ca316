import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Checks a route parameter or query against its schema; a bad one is a 400
 * naming what was wrong (`Invalid VMID: expected a number …`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(
      `Invalid ${what}: ${
        issue.path.join('.') || 'value'
      } ${issue.message.toLowerCase()}`,
    );
  }
  return r.data;
}
