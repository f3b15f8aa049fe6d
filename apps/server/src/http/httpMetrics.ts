import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RequestHandler } from 'express';

/** Prometheus metrics of the HTTP role, on the server's registry (served at /metrics). */
export function createHttpMetrics(registry: Registry, streams: () => number) {
  const registers = [registry];
  const requests = new Counter({ name: 'ipscope_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers });
  const duration = new Histogram({
    name: 'ipscope_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  new Gauge({
    name: 'ipscope_http_live_streams',
    help: 'Open Server-Sent Events streams',
    registers,
    collect() {
      this.set(streams());
    },
  });

  /** Records every request under its route pattern (never the raw path, which would explode label cardinality). */
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : res.statusCode === 404 ? 'unmatched' : 'other';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
    });
    next();
  };
  return { middleware };
}
