import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { UnavailableError } from './errors';

/**
 * Serves the built web app from the same origin: hashed files under `/assets` are cached for a
 * year, everything else revalidates, and any other GET outside `/api` gets `index.html` so deep
 * links (`/ip/10.0.0.1?from=...`) work on reload. With `pageGate` (a token is required), a page
 * request without a session goes to `/login` first; the static files themselves hold no data.
 * Undefined when `dist` holds no build.
 */
export function webAppRoutes(distDir: string | undefined, pageGate?: RequestHandler): Router | undefined {
  if (!distDir) return undefined;
  const dist = path.resolve(distDir);
  if (!fs.existsSync(path.join(dist, 'index.html'))) return undefined;
  const index = path.join(dist, 'index.html');
  const router = Router();
  router.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => {
        const immutable = file.startsWith(path.join(dist, 'assets') + path.sep);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  if (pageGate) router.get(/^\/(?!api(\/|$)|metrics$|healthz$|login(\.css)?$|assets\/).*/, pageGate);
  router.get(/^\/(?!api(\/|$)|metrics$|healthz$|login(\.css)?$).*/, (_req, res, next) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index, (error?: Error) => {
      if (error && !res.headersSent) next(new UnavailableError('web_app_missing', 'the web app is not built (or is being rebuilt); try again shortly'));
    });
  });
  return router;
}
