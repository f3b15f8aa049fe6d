import { InvalidOptionError } from './errors';

/**
 * How raw values are mapped before modelling.
 * - `log`: y = sign(x)·log(1 + |x|/c), a log scale offset by the series' activity
 *   scale c (the offset). Counts, bytes and distinct counts are multiplicative and
 *   heavy-tailed; on this scale "ten times more" is the same distance at any level
 *   well above c, while values near zero stay close to zero instead of being
 *   stretched apart (an idle minute and a minute with one small transfer are
 *   neighbours, not opposite ends of the scale).
 * - `none`: values are modelled as they are (data that crosses zero, temperatures…).
 * - `auto`: `log` if every value seen during warm-up is ≥ 0, else `none`; decided once,
 *   stored in the state, so live and offline scoring make the same choice.
 */
export type TransformName = 'log' | 'none' | 'auto';

/** Resolved transform stored in state: 0 = none, 1 = log. */
export type TransformCode = 0 | 1;

export function parseTransform(value: string): TransformName {
  if (value === 'log' || value === 'none' || value === 'auto') return value;
  throw new InvalidOptionError('transform', `${JSON.stringify(value)} is not one of log, none, auto`);
}

export function forward(code: TransformCode, x: number, offset = 1): number {
  if (code === 0) return x;
  return x >= 0 ? Math.log1p(x / offset) : -Math.log1p(-x / offset);
}

export function inverse(code: TransformCode, y: number, offset = 1): number {
  if (code === 0) return y;
  return y >= 0 ? offset * Math.expm1(y) : -offset * Math.expm1(-y);
}

/** dy/dx at x: converts a width in raw units (the data's quantum) to model units. */
export function slope(code: TransformCode, x: number, offset = 1): number {
  if (code === 0) return 1;
  return 1 / (offset + Math.abs(x));
}
