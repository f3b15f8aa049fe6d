import { Router, type Response } from 'express';
import { parseCidr, formatCidr, topEntitiesQuery, totalsQuery, type Cidr, type TopEntitiesResponse, type TotalsResponse } from '@ipscope/api';
import type { ResolvedInterval } from '@ipscope/timeseries';
import type { ApiContext } from '../apiContext';
import type { ServedMetric } from '../catalogLookup';
import { BadRequestError } from '../errors';
import { resolveTimeRange, type TimeRange } from '../timeRange';
import { readSparklines } from '../sparklines';
import { topInCidr, totalOverEntities } from '../topEntities';
import { parseOrThrow } from '../validate';

/**
 * The part of the store's newest data time the overview cache keys on: its bucket. While data
 * flows into the open bucket, identical requests share an answer for the cache's 2 s; when a
 * new bucket starts (the live stream then says a bucket closed) the key changes and the next
 * request is computed afresh.
 */
function newestBucket(newest: number | null, interval: ResolvedInterval): number | null {
  return newest === null ? null : Math.floor(newest / interval.resolution);
}

function sendJson(res: Response, json: string): void {
  res.type('application/json').send(json);
}

/** Ranks entities over the range and reads each one's sparkline. */
async function rankEntities(
  ctx: ApiContext,
  metric: ServedMetric,
  interval: ResolvedInterval,
  range: TimeRange,
  o: { limit: number; sparkPoints: number; cidr: Cidr | undefined },
): Promise<TopEntitiesResponse> {
  const storeRange = { metric: metric.name, interval: interval.name, from: range.from, to: range.to - 1, limit: o.limit };
  const { entries, complete } = o.cidr ? await topInCidr(ctx.store, storeRange, o.cidr) : { entries: await ctx.store.top(storeRange), complete: true };
  const spark = await readSparklines(ctx.store, metric, interval, range, entries.map((e) => e.entity), o.sparkPoints);
  return {
    metric: metric.name,
    interval: interval.name,
    from: range.from,
    to: range.to,
    cidr: o.cidr ? formatCidr(o.cidr) : null,
    sparkStep: spark.step,
    complete,
    items: entries.map((e, i) => ({ ip: e.entity, value: e.value, sparkline: spark.lines[i]! })),
  };
}

/** `GET /api/entities/top` (busiest IPs with sparklines) and `GET /api/totals`. */
export function topRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/entities/top', async (req, res) => {
    const q = parseOrThrow(topEntitiesQuery, req.query);
    const metric = ctx.lookup.metric(q.metric);
    if (!metric.ranked) {
      const ranked = ctx.lookup
        .all()
        .filter((m) => m.ranked)
        .map((m) => m.name);
      throw new BadRequestError('metric', `${metric.name} is not ranked (the store keeps no top index for this ${metric.type} metric); rank by one of ${ranked.join(', ')}`);
    }
    const interval = ctx.lookup.interval(q.interval, [metric]);
    const cidr = q.cidr === undefined ? undefined : parseCidr(q.cidr);
    const newest = await ctx.store.newest();
    const range = resolveTimeRange(q, interval, newest, ctx.now());
    const key = JSON.stringify(['top', metric.name, interval.name, range.from, range.to, q.limit, cidr ? formatCidr(cidr) : null, q.sparkPoints, newestBucket(newest, interval)]);
    const json = await ctx.overviewCache.get(key, async () => JSON.stringify(await rankEntities(ctx, metric, interval, range, { limit: q.limit, sparkPoints: q.sparkPoints, cidr })));
    sendJson(res, json);
  });

  router.get('/totals', async (req, res) => {
    const q = parseOrThrow(totalsQuery, req.query);
    const metrics = ctx.lookup.all().filter((m) => m.ranked && m.intervals.has(q.interval));
    const interval = ctx.lookup.interval(q.interval, metrics);
    const newest = await ctx.store.newest();
    const range = resolveTimeRange(q, interval, newest, ctx.now());
    const key = JSON.stringify(['totals', interval.name, range.from, range.to, newestBucket(newest, interval)]);
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
