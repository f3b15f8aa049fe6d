import { Router, type Request, type Response } from 'express';
import { exportQuery, ipSeriesQuery, seriesToCsv, summaryQuery, type Peer, type SummaryResponse } from '@ipscope/api';
import type { Store } from '@ipscope/timeseries';
import type { ApiContext } from '../apiContext';
import { toApiAlert } from '../alertView';
import type { ServedMetric } from '../catalogLookup';
import { requestIp } from '../ipParam';
import { ipSeriesVersion, readIpSeries, readIpSeriesAnswer } from '../ipSeries';
import { SeriesAnswerCache } from '../seriesAnswerCache';
import { readRangeTotal } from '../rangeTotal';
import { mergeSeen, seenSpan } from '../seenSpan';
import { resolveTimeRange } from '../timeRange';
import { parseOrThrow } from '../validate';

/**
 * The IP's busiest peers over the range, both directions, from the peer histograms (null when the
 * catalog keeps none): by connections, or by bytes when asked and recorded (ties by the other
 * figure, then address, outgoing first).
 */
async function peersOf(store: Store, ctx: ApiContext, ip: string, interval: string, range: { from: number; to: number }, limit: number, by: 'connections' | 'bytes'): Promise<Peer[] | null> {
  const p = ctx.peers;
  const known = (name: string | undefined) => (name === undefined ? undefined : ctx.lookup.all().find((m) => m.name === name && m.type === 'histogram'));
  const out = known(p?.out);
  const inn = known(p?.in);
  if (!p || !out || !inn) return null;
  // Peer histograms may be kept on coarser intervals only (the default catalog keeps them in
  // half-hour buckets): read them on the page's interval when they have it, else on their own.
  const read = async (metric: ServedMetric | undefined) => {
    if (!metric) return undefined;
    const on = metric.intervals.has(interval) ? interval : ([...metric.intervals.keys()][0] ?? interval);
    const r = await store.series({ metric: metric.name, entity: ip, interval: on, from: range.from, to: range.to - 1, collapse: true });
    return (r.points[0]?.value ?? {}) as Record<string, number>;
  };
  const [outConn, inConn, outBytes, inBytes] = await Promise.all([read(out), read(inn), read(known(p.outBytes)), read(known(p.inBytes))]);
  const peers: Peer[] = [];
  for (const [direction, conns, bytes] of [
    ['out', outConn, outBytes],
    ['in', inConn, inBytes],
  ] as const) {
    for (const [peer, connections] of Object.entries(conns ?? {})) {
      peers.push({ ip: peer, direction, connections, bytes: bytes ? (bytes[peer] ?? 0) : null });
    }
  }
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  // Busiest first; ties by address, then outgoing before incoming.
  const byAddress = (a: Peer, b: Peer) => order(a.ip, b.ip) || order(b.direction, a.direction);
  const sorted =
    by === 'bytes' && outBytes !== undefined && inBytes !== undefined
      ? peers.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0) || b.connections - a.connections || byAddress(a, b))
      : peers.sort((a, b) => b.connections - a.connections || byAddress(a, b));
  return sorted.slice(0, limit);
}

/**
 * Metrics that say when an IP was active: the count metrics (every connection counts in them,
 * so together they see all activity; other types are derived from the same events), or every
 * metric when the catalog has no counts. Fewer metrics, fewer index reads per summary.
 */
function seenMetrics(ctx: ApiContext): ServedMetric[] {
  const counts = ctx.lookup.all().filter((m) => m.type === 'count');
  return counts.length > 0 ? counts : ctx.lookup.all();
}

/** Sends JSON bytes as they are (no ETag hashing, no string conversion: series answers are large). */
function sendJsonBytes(res: Response, bytes: Buffer, cache: 'hit' | 'miss'): void {
  res.status(200);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', String(bytes.length));
  res.setHeader('x-ipscope-cache', cache);
  res.end(bytes);
}

/** `GET /api/ips/:ip/{series,summary,export.csv,export.json}`. */
export function ipRoutes(ctx: ApiContext, options: { seriesCacheBytes?: number } = {}): Router {
  const router = Router();
  const answers = new SeriesAnswerCache(options.seriesCacheBytes === undefined ? {} : { maxBytes: options.seriesCacheBytes });

  const seriesRequest = async (req: Request, schema: typeof ipSeriesQuery | typeof exportQuery) => {
    const ip = requestIp(req.params.ip);
    const q = parseOrThrow(schema, req.query);
    const metrics = q.metrics.map((name) => ctx.lookup.metric(name, 'metrics'));
    const interval = ctx.lookup.interval(q.interval, metrics);
    const range = resolveTimeRange(q, interval, q.to === undefined ? await ctx.store.newest() : null, ctx.now());
    return { ip, metrics, interval, range, maxPoints: q.maxPoints };
  };
  const seriesFor = async (req: Request, schema: typeof exportQuery) => {
    const r = await seriesRequest(req, schema);
    return readIpSeries(ctx.store, r.ip, r.metrics, r.interval, r.range, r.maxPoints);
  };

  // An answer is kept with the store version it was read at and served again only while one
  // small read (ipSeriesVersion) returns that version: never stale (seriesAnswerCache.ts).
  router.get('/ips/:ip/series', async (req, res) => {
    const { ip, metrics, interval, range, maxPoints } = await seriesRequest(req, ipSeriesQuery);
    const key = JSON.stringify([ip, metrics.map((m) => m.name), interval.name, range.from, range.to, maxPoints]);
    const kept = answers.get(key);
    if (kept !== undefined && (await ipSeriesVersion(ctx.store, ip, metrics, interval, range)) === kept.version) {
      answers.hits++;
      sendJsonBytes(res, kept.bytes, 'hit');
      return;
    }
    answers.misses++;
    const answer = await readIpSeriesAnswer(ctx.store, ip, metrics, interval, range, maxPoints);
    if (answer.version !== null) answers.set(key, answer.version, answer.bytes);
    sendJsonBytes(res, answer.bytes, 'miss');
  });

  router.get('/ips/:ip/export.json', async (req, res) => {
    const body = await seriesFor(req, exportQuery);
    res.setHeader('content-disposition', `attachment; filename="${fileName(body.ip, body.from, body.to)}.json"`);
    res.type('application/json').send(JSON.stringify(body));
  });

  router.get('/ips/:ip/export.csv', async (req, res) => {
    const body = await seriesFor(req, exportQuery);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${fileName(body.ip, body.from, body.to)}.csv"`);
    res.send(seriesToCsv(body.series));
  });

  router.get('/ips/:ip/summary', async (req, res) => {
    const ip = requestIp(req.params.ip);
    const q = parseOrThrow(summaryQuery, req.query);
    const interval = ctx.lookup.interval(q.interval, []);
    const metrics = ctx.lookup.all().filter((m) => m.intervals.has(interval.name));
    const range = resolveTimeRange(q, interval, q.to === undefined ? await ctx.store.newest() : null, ctx.now());
    const [totals, seen, peers, alerts] = await Promise.all([
      Promise.all(metrics.map(async (m) => [m.name, await readRangeTotal(ctx.store, m, interval, range, ip)] as const)),
      Promise.all(
        seenMetrics(ctx).map(async (m) => {
          const props = await ctx.store.properties({ metric: m.name, entity: ip });
          return seenSpan([...m.intervals.values()].map((i) => ({ resolution: i.resolution, span: props[i.name] ?? null })));
        }),
      ),
      peersOf(ctx.store, ctx, ip, interval.name, range, q.peers, q.peersBy),
      ctx.alerts.list({ entity: ip, limit: q.alerts }),
    ]);
    const span = mergeSeen(seen);
    const body: SummaryResponse = {
      ip,
      interval: interval.name,
      from: range.from,
      to: range.to,
      firstSeen: span?.first ?? null,
      lastSeen: span?.last ?? null,
      totals: Object.fromEntries(totals),
      peersAvailable: peers !== null,
      peers: peers ?? [],
      alerts: alerts.map(toApiAlert),
    };
    res.json(body);
  });

  return router;
}

function fileName(ip: string, from: number, to: number): string {
  return `ipscope-${ip.replace(/:/g, '-')}-${from}-${to}`;
}
