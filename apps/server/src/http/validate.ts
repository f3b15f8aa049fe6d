import type { z } from 'zod';
import { BadRequestError } from './errors';

/**
 * Parses request input with a schema. The first problem becomes a {@link BadRequestError}
 * naming the parameter (`body` for a body that is not an object) and why.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'path' | 'body' = 'query'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = 'shape' in schema && typeof schema.shape === 'object' && schema.shape ? Object.keys(schema.shape).join(', ') : '';
    const key = issue.keys[0] ?? where;
    throw new BadRequestError(String(key), `is not a ${where === 'body' ? 'field' : 'parameter'} of this endpoint${known ? ` (known: ${known})` : ''}`);
  }
  const parameter = issue.path.length > 0 ? String(issue.path[0]) : where;
  if (issue.path.length > 0 && valueAt(input, issue.path.slice(0, 1)) === undefined) throw new BadRequestError(parameter, 'is required');
  const item = typeof issue.path[1] === 'number' ? `item ${issue.path[1] + 1}: ` : '';
  throw new BadRequestError(parameter, `${item}${issue.message}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
