import { Router } from 'express';
import { parseCidr, formatCidr, planDownsampling, topEntitiesQuery, totalsQuery, type TopEntitiesResponse, type TotalsResponse } from '@ipscope/api';
import type { ApiContext } from '../apiContext';
import { BadRequestError } from '../errors';
import { resolveTimeRange } from '../timeRange';
import { topInCidr, totalOverEntities } from '../topEntities';
import { parseOrThrow } from '../validate';

const ADDITIVE = new Set(['count', 'histogram', 'series']);

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
    const range = resolveTimeRange(q, interval, q.to === undefined ? await ctx.store.newest() : null, ctx.now());
    const storeRange = { metric: metric.name, interval: interval.name, from: range.from, to: range.to - 1, limit: q.limit };
    const { entries, complete } = cidr ? await topInCidr(ctx.store, storeRange, cidr) : { entries: await ctx.store.top(storeRange), complete: true };
    const spark = planDownsampling(range.from, range.to, interval.resolution, q.sparkPoints);
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
    const body: TopEntitiesResponse = {
      metric: metric.name,
      interval: interval.name,
      from: range.from,
      to: range.to,
      cidr: cidr ? formatCidr(cidr) : null,
      sparkStep: spark.step,
      complete,
      items: entries.map((e, i) => ({ ip: e.entity, value: e.value, sparkline: sparklines[i]!.points.map((p) => (typeof p.value === 'number' ? p.value : null)) })),
    };
    res.json(body);
  });

  router.get('/totals', async (req, res) => {
    const q = parseOrThrow(totalsQuery, req.query);
    const metrics = ctx.lookup.all().filter((m) => (m.type === 'count' || m.type === 'histogram') && m.intervals.has(q.interval));
    const interval = ctx.lookup.interval(q.interval, metrics);
    const range = resolveTimeRange(q, interval, q.to === undefined ? await ctx.store.newest() : null, ctx.now());
    const results = await Promise.all(metrics.map((m) => totalOverEntities(ctx.store, { metric: m.name, interval: interval.name, from: range.from, to: range.to - 1 })));
    const body: TotalsResponse = {
      interval: interval.name,
      from: range.from,
      to: range.to,
      totals: Object.fromEntries(metrics.map((m, i) => [m.name, results[i]!.total])),
      complete: results.every((r) => r.complete),
    };
    res.json(body);
  });

  return router;
}
