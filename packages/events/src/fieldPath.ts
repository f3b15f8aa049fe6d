import { isObject } from './input';

/**
 * Where a value sits in a JSON message: a dotted string (`flow.src.ip`,
 * numeric segments index arrays: `hops.0.addr`) or an array of literal keys
 * for keys that themselves contain dots (`["id.orig_h"]`).
 */
export type FieldPath = string | readonly string[];

/** Splits a path into its segments; `undefined` when it is empty or has an empty segment. */
export function pathSegments(path: FieldPath): readonly string[] | undefined {
  const segments = typeof path === 'string' ? path.split('.') : path;
  if (segments.length === 0 || segments.some((s) => typeof s !== 'string' || s.length === 0)) return undefined;
  return segments;
}

/** Reads the value at `segments`, `undefined` when any step is missing. */
export function valueAt(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (isObject(current)) current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else return undefined;
  }
  return current;
}
