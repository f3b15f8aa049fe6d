import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { CatalogResponse } from '@ipscope/api';
import { matchRoute } from '@ipscope/web/serverContract';
import { UnavailableError } from './errors';
import { IndexPage, type PageForm } from './indexPage';
import { staticFiles } from './staticFiles';
import type { LandingPrefetch } from './landingPrefetch';
import type { ServerCharts } from './serverCharts';

/** What the web app's pages are served with. */
export interface WebAppOptions {
  /** Sends a page request without a session to `/login` (when a token is required). */
  pageGate?: RequestHandler | undefined;
  /** Whether the request may see data (token or session, or no token required). */
  authenticated: (req: Request) => boolean;
  /** The catalog, put into every page for a request with access. */
  catalog: CatalogResponse;
  /** Reads an IP page's data while its code loads (for a request with access). */
  prefetch?: LandingPrefetch | undefined;
  /** Draws an IP page's charts into its HTML (needs `prefetch`, whose answers it draws from). */
  charts?: ServerCharts | undefined;
}

/**
 * Serves the built web app from the same origin: hashed files under `/assets` are cached for a
 * year (scripts and style sheets from memory, precompressed: `staticFiles`), everything else revalidates, and any other GET outside `/api` gets `index.html` so deep
 * links (`/ip/10.0.0.1?from=...`) work on reload. With `pageGate` (a token is required), a page
 * request without a session goes to `/login` first; the static files themselves hold no data.
 * A page for a request with access carries the catalog, and an IP page preloads its code and has
 * its data read ahead (`IndexPage`, `LandingPrefetch`) and, with `charts`, its charts drawn by the
 * server into the HTML (`ServerCharts`). Undefined when `dist` holds no build.
 */
export function webAppRoutes(distDir: string | undefined, options: WebAppOptions): Router | undefined {
  if (!distDir) return undefined;
  const dist = path.resolve(distDir);
  if (!fs.existsSync(path.join(dist, 'index.html'))) return undefined;
  const index = new IndexPage(path.join(dist, 'index.html'), options.catalog);
  const router = Router();
  if (options.prefetch) router.use('/assets', options.prefetch.noteAsset);
  router.use('/assets', staticFiles(dist));
  router.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => {
        const immutable = file.startsWith(path.join(dist, 'assets') + path.sep);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  if (options.pageGate) router.get(/^\/(?!api(\/|$)|metrics$|healthz$|login(\.css)?$|assets\/).*/, options.pageGate);
  router.get(/^\/(?!api(\/|$)|metrics$|healthz$|login(\.css)?$).*/, (req, res, next) => {
    let page: PageForm;
    const withData = options.authenticated(req);
    const route = matchRoute(req.path);
    const ipPage = route.name === 'ip' && route.valid;
    if (withData && ipPage && options.charts && options.prefetch) {
      let split;
      try {
        split = index.ipSplit();
      } catch {
        next(new UnavailableError('web_app_missing', 'the web app is not built (or is being rebuilt); try again shortly'));
        return;
      }
      void options.charts.send(req, res, split, options.prefetch);
      return;
    }
    try {
      page = withData ? index.withData(ipPage) : index.plain();
    } catch {
      next(new UnavailableError('web_app_missing', 'the web app is not built (or is being rebuilt); try again shortly'));
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(page.body);
    if (withData) options.prefetch?.start(req, page.assets);
  });
  return router;
}
