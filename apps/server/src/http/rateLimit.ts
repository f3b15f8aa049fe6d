import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from './errors';

export interface RateLimitOptions {
  /** Requests per client per window; 0 turns the limit off. */
  limit: number;
  /** Window length in milliseconds. Default 60 000. */
  windowMs?: number;
}

/**
 * A per-client request limit (client = IP address, IPv6 grouped by /56 as providers hand
 * them out). Counters live in this process: with several replicas each limits on its own.
 * Over the limit: 429 with `Retry-After` and the standard `RateLimit` headers.
 */
export function clientRateLimit(options: RateLimitOptions): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  const windowMs = options.windowMs ?? 60_000;
  return rateLimit({
    windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req: Request & { rateLimit?: { resetTime?: Date } }, _res, next) => {
      const reset = req.rateLimit?.resetTime?.getTime() ?? Date.now() + windowMs;
      next(new TooManyRequestsError(Math.max(1, Math.ceil((reset - Date.now()) / 1000))));
    },
  });
}
