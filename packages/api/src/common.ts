import { z } from 'zod';
import { ipFamily, ipOrCidrProblem } from './ip';

/**
 * Shared parameter schemas. Every request parameter passes one of these before it
 * reaches the store, so nothing from a request becomes part of a Redis key unvalidated.
 */

/** An IPv4 or IPv6 address (no zone index, no prefix length). */
export const ipParam = z.string().refine((s) => ipFamily(s) !== 0, { message: 'must be an IPv4 or IPv6 address' });

/** A CIDR block such as `10.0.0.0/8` or `2001:db8::/32`. */
export const cidrParam = z.string().superRefine((s, ctx) => {
  const problem = s.includes('/') ? ipOrCidrProblem(s) : 'must be a CIDR block like 10.0.0.0/8 or 2001:db8::/32';
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Metric names are short dotted identifiers from the catalog. */
export const metricName = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'must be a metric name from /api/metrics');

/** Interval names from the catalog (defaults: `days` = 1-minute steps, `months` = 30-minute steps). */
export const intervalName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be an interval name such as days or months');

/** Unix seconds or an ISO-8601 date-time; parsed to unix seconds. */
export const timeParam = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be unix seconds or an ISO-8601 date-time' });
    return z.NEVER;
  }
  return Math.floor(n);
});

export const limitParam = (max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(fallback);

/** A comma-separated list in a query string. */
export const metricList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(metricName).min(1, 'must name at least one metric').max(32, 'must name at most 32 metrics'));

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
