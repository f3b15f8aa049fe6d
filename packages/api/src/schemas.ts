import { z } from 'zod';

/** `GET /api/top` — the busiest responder IPs. */
export const topQuery = z.object({
  limit: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(20),
});
export type TopQuery = z.infer<typeof topQuery>;

export const topResponse = z.object({
  items: z.array(z.object({ ip: z.string(), connections: z.number() })),
});
export type TopResponse = z.infer<typeof topResponse>;

/** `GET /api/ips/:ip/series` — connections responded to per minute. */
export const seriesQuery = z
  .object({
    from: z.coerce.number({ error: 'must be unix seconds' }).int('must be unix seconds').min(0, 'must not be negative').optional(),
    to: z.coerce.number({ error: 'must be unix seconds' }).int('must be unix seconds').min(0, 'must not be negative').optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be before to', path: ['from'] });
export type SeriesQuery = z.infer<typeof seriesQuery>;

export const seriesResponse = z.object({
  ip: z.string(),
  metric: z.string(),
  step: z.number(),
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type SeriesResponse = z.infer<typeof seriesResponse>;

/** Every 4xx/5xx body. `parameter` names the offending input on a 400. */
export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), parameter: z.string().optional(), requestId: z.string().optional() }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;
