import { z } from 'zod';
import { ipFamily, ipOrCidrProblem } from './ip';

/**
 * Shared parameter schemas. Every request parameter passes one of these before it
 * reaches the store, so nothing from a request becomes part of a Redis key unvalidated.
 */

/** Quotes user input for an error message, cut to a readable length. */
export function quoteInput(text: string, max = 64): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** An IPv4 or IPv6 address (no zone index, no prefix length). */
export const ipParam = z
  .string({ error: 'must be an IPv4 or IPv6 address' })
  .superRefine((s, ctx) => {
    if (ipFamily(s) === 0) ctx.addIssue({ code: 'custom', message: `${quoteInput(s)} is not an IPv4 or IPv6 address` });
  })
  .meta({ description: 'An IPv4 or IPv6 address', examples: ['10.0.0.1', '2001:db8::1'] });

/** A CIDR block such as `10.0.0.0/8` or `2001:db8::/32`. */
export const cidrParam = z
  .string({ error: 'must be a CIDR block like 10.0.0.0/8 or 2001:db8::/32' })
  .superRefine((s, ctx) => {
    const problem = s.includes('/') ? ipOrCidrProblem(s) : `${quoteInput(s)} is not a CIDR block like 10.0.0.0/8 or 2001:db8::/32`;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'An IPv4 or IPv6 CIDR block', examples: ['10.0.0.0/8', '2001:db8::/32'] });

/** Metric names are short dotted identifiers from the catalog. */
export const metricName = z
  .string({ error: 'must be a metric name from /api/metrics' })
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'must be a metric name from /api/metrics (lower-case dotted, e.g. conn.count)')
  .meta({ description: 'A metric name from /api/metrics' });

/** Interval names from the catalog (defaults: `days` = 1-minute steps, `months` = 30-minute steps). */
export const intervalName = z
  .string({ error: 'must be an interval name such as days or months' })
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be an interval name such as days or months')
  .meta({ description: 'An interval name from /api/metrics (days: 1-minute steps, months: 30-minute steps)' });

/** Latest accepted time: 2100-01-01T00:00:00Z. Larger values are usually milliseconds. */
const MAX_TIME = 4_102_444_800;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses unix seconds (`1714564800`, fractions floored) or an ISO-8601 date or date-time
 * (`2024-05-01`, `2024-05-01T12:00:00Z`, `2024-05-01T14:00+02:00`); a date-time without an
 * offset is UTC, never the server's local time. Returns a reason string for anything else.
 */
export function parseTime(value: number | string): number | string {
  if (typeof value === 'number' || /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) return 'must be unix seconds (not negative) or an ISO-8601 date-time';
    if (n > MAX_TIME) return n > 1e11 ? 'looks like milliseconds; give unix seconds' : 'must be before the year 2100';
    return Math.floor(n);
  }
  const m = ISO.exec(value.trim());
  if (!m) return 'must be unix seconds or an ISO-8601 date-time such as 2024-05-01T12:00:00Z';
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (!Number.isFinite(ms) || date.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return `is not a real date-time: ${JSON.stringify(value)}`;
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0 || seconds > MAX_TIME) return 'must be between 1970 and 2100';
  return seconds;
}

/** Unix seconds or an ISO-8601 date-time; parsed to unix seconds (see {@link parseTime}). */
export const timeParam = z
  .union([z.number(), z.string()], { error: 'must be unix seconds or an ISO-8601 date-time' })
  .transform((value, ctx) => {
    const parsed = parseTime(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  })
  .meta({ description: 'Unix seconds or ISO-8601 (UTC unless an offset is given)', examples: ['2024-05-01T12:00:00Z', '1714564800'] });

/** A whole number from 1 to `max`, `fallback` when absent. */
export const limitParam = (max: number, fallback: number) =>
  z
    .union([z.string(), z.number()], { error: 'must be a whole number' })
    .transform((value, ctx) => {
      const n = typeof value === 'number' ? value : /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `must be a whole number, got ${quoteInput(String(value))}` });
      else if (n < 1) ctx.addIssue({ code: 'custom', message: 'must be at least 1' });
      else if (n > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max}` });
      else return n;
      return z.NEVER;
    })
    .default(fallback)
    .meta({ description: `A whole number from 1 to ${max}`, type: 'integer', minimum: 1, maximum: max });

/** Metric names as a comma-separated list (`a,b`) or a repeated parameter (`metrics=a&metrics=b`). */
export const metricList = z
  .union([z.string(), z.array(z.string())], { error: 'must be a comma-separated list of metric names' })
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((s) => s.split(',')).map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(metricName).min(1, 'must name at least one metric').max(32, 'must name at most 32 metrics'))
  .meta({ description: 'Comma-separated metric names from /api/metrics', examples: ['conn.count,conn.bytes'] });

export type MetricType = 'count' | 'series' | 'histogram' | 'gauge' | 'set' | 'hll';
export const metricType = z.enum(['count', 'series', 'histogram', 'gauge', 'set', 'hll']);

/** One 4xx/5xx body. On a 400, `parameter` names the offending input. */
export const apiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    parameter: z.string().optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiError>;
