import { Router, type RequestHandler } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { HealthResponse } from '@ipscope/api';

const withTimeout = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);

/** `GET /healthz`: 200 when Redis answers PING and Kafka is reachable, else 503 (each check bounded to 2 s). */
export function healthRoute(redis: Redis | Cluster, kafkaHealthy: (() => Promise<boolean>) | undefined): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [redisOk, kafkaOk] = await Promise.all([
      withTimeout(redis.ping().then((p) => p === 'PONG'), 2000, false),
      kafkaHealthy ? withTimeout(kafkaHealthy(), 2000, false) : Promise.resolve(true),
    ]);
    const body: HealthResponse = { redis: redisOk, kafka: kafkaOk };
    res.setHeader('cache-control', 'no-store');
    res.status(redisOk && kafkaOk ? 200 : 503).json(body);
  });
  return router;
}

/** `GET /metrics`: Prometheus text format of the server's registry. */
export function prometheusRoute(registry: Registry, guard: RequestHandler[]): Router {
  const router = Router();
  router.get('/metrics', ...guard, async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(await registry.metrics());
  });
  return router;
}
