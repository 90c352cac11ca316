import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Checks a route parameter or query against its schema, as proxmox-backend's
 * parseInput does; a bad one is a 400 naming the input and the rule it
 * breaks (`cluster: a cluster name: lower-case letters, digits and dashes`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InputError(
      `${what}: ${r.error.issues.map(i => i.message).join(', ')}`,
    );
  }
  return r.data;
}
