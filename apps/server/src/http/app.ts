import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import { seriesQuery, topQuery, type SeriesResponse, type TopResponse } from '@ipscope/api';
import type { Logger } from '../log';
import type { ConnCounts } from '../ingest/connCounts';
import { BadRequestError, errorHandler, notFound, parseOrThrow } from './errors';
import { isIp } from './ip';

export interface AppDeps {
  redis: Redis;
  counts: ConnCounts;
  log: Logger;
  /** Built web app to serve from the same origin, if any. */
  webDist?: string | undefined;
  /** Health of Kafka as the ingest role last saw it. */
  kafkaHealthy?: () => Promise<boolean>;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.locals.requestId = crypto.randomUUID();
    res.setHeader('x-request-id', res.locals.requestId as string);
    next();
  });

  app.get('/healthz', async (_req, res) => {
    const redis = await deps.redis.ping().then((p) => p === 'PONG', () => false);
    const kafka = deps.kafkaHealthy ? await deps.kafkaHealthy().catch(() => false) : true;
    res.status(redis && kafka ? 200 : 503).json({ redis, kafka });
  });

  app.get('/api/top', async (req, res) => {
    const q = parseOrThrow(topQuery, req.query);
    const body: TopResponse = { items: await deps.counts.top(q.limit) };
    res.json(body);
  });

  app.get('/api/ips/:ip/series', async (req, res) => {
    const ip = req.params.ip;
    if (!isIp(ip)) throw new BadRequestError('ip', `"${ip}" is not an IPv4 or IPv6 address`);
    const q = parseOrThrow(seriesQuery, req.query);
    const to = q.to ?? Math.ceil(Date.now() / 60_000) * 60;
    const from = q.from ?? to - 6 * 3600;
    if (to - from > 2 * 86_400) throw new BadRequestError('from', 'range must be at most 2 days at minute steps');
    const body: SeriesResponse = { ip, metric: 'conn.responded', step: 60, points: await deps.counts.series(ip, from, to) };
    res.json(body);
  });

  app.use('/api', notFound);

  if (deps.webDist && fs.existsSync(path.join(deps.webDist, 'index.html'))) {
    const index = path.join(deps.webDist, 'index.html');
    app.use(express.static(deps.webDist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(index));
  }
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
