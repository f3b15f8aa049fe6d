import type { RequestHandler } from 'express';

/**
 * CORS for the configured origins only (exact `scheme://host[:port]` matches). With no
 * origins configured it adds nothing, so browsers keep other sites from reading the API.
 * Credentials are not allowed cross-origin: the session cookie is SameSite=Strict, and a
 * cross-origin client sends a bearer token.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowed.size === 0 || typeof origin !== 'string' || !allowed.has(origin)) {
      next();
      return;
    }
    res.setHeader('access-control-allow-origin', origin);
    res.append('vary', 'Origin');
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after, ratelimit, ratelimit-policy');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, last-event-id');
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
