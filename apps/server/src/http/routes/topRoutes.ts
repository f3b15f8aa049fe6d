import { Router, type Response } from 'express';
import { parseCidr, formatCidr, planDownsampling, topEntitiesQuery, totalsQuery, type Cidr, type TopEntitiesResponse, type TotalsResponse } from '@ipscope/api';
import type { ResolvedInterval } from '@ipscope/timeseries';
import type { ApiContext } from '../apiContext';
import type { ServedMetric } from '../catalogLookup';
import { BadRequestError } from '../errors';
import { resolveTimeRange, type TimeRange } from '../timeRange';
import { topInCidr, totalOverEntities } from '../topEntities';
import { parseOrThrow } from '../validate';

const ADDITIVE = new Set(['count', 'histogram', 'series']);

function sendJson(res: Response, json: string): void {
  res.type('application/json').send(json);
}

/** Ranks entities over the range and reads each one's sparkline (condensed by the store). */
async function rankEntities(
  ctx: ApiContext,
  metric: ServedMetric,
  interval: ResolvedInterval,
  range: TimeRange,
  o: { limit: number; sparkPoints: number; cidr: Cidr | undefined },
): Promise<TopEntitiesResponse> {
  const storeRange = { metric: metric.name, interval: interval.name, from: range.from, to: range.to - 1, limit: o.limit };
  const { entries, complete } = o.cidr ? await topInCidr(ctx.store, storeRange, o.cidr) : { entries: await ctx.store.top(storeRange), complete: true };
  const spark = planDownsampling(range.from, range.to, interval.resolution, o.sparkPoints);
  const transform = metric.type === 'count' ? undefined : ('count' as const);
  const sparklines = await Promise.all(
    entries.map((e) =>
      ctx.store.series({
        metric: metric.name,
        entity: e.entity,
        interval: interval.name,
        from: range.from,
        to: range.to - 1,
        ...(spark.factor > 1 ? { condense: spark.step } : {}),
        ...(transform ? { transform } : {}),
      }),
    ),
  );
  return {
    metric: metric.name,
    interval: interval.name,
    from: range.from,
    to: range.to,
    cidr: o.cidr ? formatCidr(o.cidr) : null,
    sparkStep: spark.step,
    complete,
    items: entries.map((e, i) => ({ ip: e.entity, value: e.value, sparkline: sparklines[i]!.points.map((p) => (typeof p.value === 'number' ? p.value : null)) })),
  };
}

/** `GET /api/entities/top` (busiest IPs with sparklines) and `GET /api/totals`. */
export function topRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/entities/top', async (req, res) => {
    const q = parseOrThrow(topEntitiesQuery, req.query);
    const metric = ctx.lookup.metric(q.metric);
    if (!ADDITIVE.has(metric.type)) {
      throw new BadRequestError('metric', `${metric.name} is a ${metric.type} metric; busiest IPs are ranked by count, histogram or series metrics, whose totals add up over time`);
    }
    const interval = ctx.lookup.interval(q.interval, [metric]);
    const cidr = q.cidr === undefined ? undefined : parseCidr(q.cidr);
    const newest = await ctx.store.newest();
    const range = resolveTimeRange(q, interval, newest, ctx.now());
    const key = JSON.stringify(['top', metric.name, interval.name, range.from, range.to, q.limit, cidr ? formatCidr(cidr) : null, q.sparkPoints, newest]);
    const json = await ctx.overviewCache.get(key, async () => JSON.stringify(await rankEntities(ctx, metric, interval, range, { limit: q.limit, sparkPoints: q.sparkPoints, cidr })));
    sendJson(res, json);
  });

  router.get('/totals', async (req, res) => {
    const q = parseOrThrow(totalsQuery, req.query);
    const metrics = ctx.lookup.all().filter((m) => (m.type === 'count' || m.type === 'histogram') && m.intervals.has(q.interval));
    const interval = ctx.lookup.interval(q.interval, metrics);
    const newest = await ctx.store.newest();
    const range = resolveTimeRange(q, interval, newest, ctx.now());
    const key = JSON.stringify(['totals', interval.name, range.from, range.to, newest]);
    const json = await ctx.overviewCache.get(key, async () => {
      const results = await Promise.all(metrics.map((m) => totalOverEntities(ctx.store, { metric: m.name, interval: interval.name, from: range.from, to: range.to - 1 })));
      const body: TotalsResponse = {
        interval: interval.name,
        from: range.from,
        to: range.to,
        totals: Object.fromEntries(metrics.map((m, i) => [m.name, results[i]!.total])),
        complete: results.every((r) => r.complete),
      };
      return JSON.stringify(body);
    });
    sendJson(res, json);
  });

  return router;
}
