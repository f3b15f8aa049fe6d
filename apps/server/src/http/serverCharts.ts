import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CatalogResponse } from '@ipscope/api';
import type { ChartTheme } from '@ipscope/charts';
import {
  CHARTS_PAINTED_SCRIPT,
  CHART_WIDTH_COOKIE,
  DEFAULT_CHART_WIDTH,
  SERVER_CHARTS_ELEMENT_ID,
  THEME_COOKIE,
  landingChartRequests,
} from '@ipscope/web/serverContract';
import type { Logger } from '../log';
import { CHART_WIDTH_RANGE } from './chartSvg';
import { drawChartFigure, planLanding, type LandingDrawJob } from './landingDrawing';
import type { SplitPageForm } from './indexPage';
import type { LandingPrefetch } from './landingPrefetch';

/** Settings of `ServerCharts`; defaults beside each. */
export interface ServerChartsOptions {
  catalog: CatalogResponse;
  /** Unix seconds (the clock the landing requests are planned with). */
  now: () => number;
  log: Logger;
  /** The longest the page waits for the answers its charts are drawn from; then it is sent without them. Default 3 000 ms. */
  waitMs?: number;
  /** Bytes of drawn pages kept for the same answers drawn again. Default 32 MiB. */
  cacheBytes?: number;
}

/** Counts since start, for tests and the benchmark. */
export interface ServerChartsStats {
  /** IP pages sent with server-drawn charts. */
  pages: number;
  /** Charts drawn (not counting pages served from the cache). */
  charts: number;
  /** Milliseconds spent drawing those charts (main thread, summed). */
  drawMs: number;
  /** Pages whose charts came from the cache. */
  cacheHits: number;
  /** IP pages sent without charts (no answers in time, a failed read, nothing to draw). */
  without: number;
}

/** The script policy's source for the one inline script the page with server-drawn charts has (its SHA-256). */
const PAINTED_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(CHARTS_PAINTED_SCRIPT).digest('base64')}'`;

/** The response's script policy with the painted-mark script allowed by its hash (nothing else is relaxed). */
function allowPaintedScript(res: Response): void {
  const policy = res.getHeader('content-security-policy');
  if (typeof policy !== 'string') return;
  res.setHeader('content-security-policy', policy.replace(/(^|;)\s*script-src ([^;]*)/, (_whole, lead: string, sources: string) => `${lead}script-src ${sources} ${PAINTED_SCRIPT_SOURCE}`));
}

/** The longest the page's reads wait for its code to be sent (a browser that has it cached never asks). */
const CODE_WAIT_MS = 150;

/**
 * The longest the reads the drawings do not need (the summary) wait, after the drawings, for the
 * page to take the answers it becomes interactive with (series, alerts). A summary read (17 range
 * totals and the peers) held the event loop for 0.4-0.8 s, ~0.2 s once the store read histograms as
 * bytes (session 7): read before the page asked, it held those ready answers back by as much.
 */
const PAGE_ASK_WAIT_MS = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A cookie's value from the request, if set. */
function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/** The theme the page will draw in (its cookie; dark by default). */
export function requestTheme(req: Request): ChartTheme {
  return cookie(req, THEME_COOKIE) === 'light' ? 'light' : 'dark';
}

/** The charts' width the page reported (its cookie), else the width in a 1280-pixel window. */
export function requestChartWidth(req: Request): number {
  const text = cookie(req, CHART_WIDTH_COOKIE);
  const width = text !== undefined && /^\d{3,4}$/.test(text) ? Number(text) : Number.NaN;
  return width >= CHART_WIDTH_RANGE.min && width <= CHART_WIDTH_RANGE.max ? width : DEFAULT_CHART_WIDTH;
}

/**
 * Sends an IP page with its charts drawn by the server, so they paint before any of the
 * page's code runs. The page's HTML up to its `</body>` goes out at once (the browser starts
 * loading the code it names); the landing prefetch reads the page's data as usual, and the
 * charts are drawn from exactly the answers the page itself will get (`LandingPrefetch.peek`):
 * the same option builders (`landingCharts`), theme (cookie) and width (cookie, else the
 * width in a 1280-pixel window). Each chart is written as soon as it is drawn, one per event
 * loop turn (code requests are served in between), into `#ipscope-server-charts`, followed by
 * an inline script that marks `ipscope:server-charts-painted` (allowed by its hash in this
 * response's script policy), and the end of the page. The
 * page's charts take these drawings over until their interactive ECharts instance has drawn.
 * A page whose answers fail or do not come within `waitMs` is sent without charts (it draws
 * them itself, as before); drawn pages are kept for the same answers, theme and width.
 */
export class ServerCharts {
  private readonly waitMs: number;
  private readonly cacheBytes: number;
  private readonly cache = new Map<string, string>();
  private heldBytes = 0;
  private readonly counts: ServerChartsStats = { pages: 0, charts: 0, drawMs: 0, cacheHits: 0, without: 0 };

  constructor(private readonly options: ServerChartsOptions) {
    this.waitMs = options.waitMs ?? 3000;
    this.cacheBytes = options.cacheBytes ?? 32 * 1024 * 1024;
    if (!(this.waitMs >= 0)) throw new RangeError(`waitMs: must be zero or a positive number of milliseconds (e.g. 3000), got ${this.waitMs}`);
    if (!(this.cacheBytes >= 0)) throw new RangeError(`cacheBytes: must be zero or a positive number of bytes (e.g. 33554432), got ${this.cacheBytes}`);
  }

  /** Counts since start. */
  stats(): ServerChartsStats {
    return { ...this.counts };
  }

  /** Sends the IP page `page` for `req` (authenticated), its data read ahead by `prefetch` and its charts drawn in. */
  async send(req: Request, res: Response, page: SplitPageForm, prefetch: LandingPrefetch): Promise<void> {
    const theme = requestTheme(req);
    res.setHeader('cache-control', 'no-cache');
    res.type('html');
    allowPaintedScript(res);
    res.write(theme === 'light' ? page.before.toString('utf8').replace(/<html\b/, '<html data-theme="light"') : page.before);
    // The page's code runs only after the drawings: a browser with it cached asks for none, so the reads do not wait long for code requests.
    // The reads the drawings do not need (after the series and the alerts: the summary) wait until they are written and the
    // page has taken the series and alerts answers (at most PAGE_ASK_WAIT_MS more).
    let drawingsDone: () => void = () => undefined;
    const drawingsWritten = new Promise<void>((resolve) => (drawingsDone = resolve));
    const url = new URL(req.originalUrl, 'http://page.invalid');
    const location = { pathname: url.pathname, search: url.search };
    // Planned once: the hold of the reads below and the drawing use the same requests (the prefetch plans its own from
    // the same URL and clock, so a minute boundary between the two readings still sends the page without drawings).
    const now = this.options.now();
    const requests = landingChartRequests(location, this.options.catalog, now);
    const pageAsked = requests
      ? drawingsWritten.then(() => {
          let timer: NodeJS.Timeout | undefined;
          const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, PAGE_ASK_WAIT_MS)));
          return Promise.race([prefetch.taken(req, [...requests.series, requests.alerts]), waited]).finally(() => clearTimeout(timer));
        })
      : drawingsWritten;
    prefetch.start(req, page.assets, { codeWaitMs: CODE_WAIT_MS, ...(requests ? { hold: { from: requests.series.length + 1, until: pageAsked } } : {}) });
    let closed = false;
    res.once('close', () => (closed = true));
    try {
      const drawn = requests ? await this.charts(req, res, theme, prefetch, { location, now, requests }, () => closed) : false;
      if (drawn) this.counts.pages++;
      else this.counts.without++;
    } catch (error) {
      this.counts.without++;
      this.options.log.warn('server charts: could not draw the page charts; the page draws them itself', { url: req.originalUrl.slice(0, 200), error });
    } finally {
      drawingsDone();
    }
    if (!closed) res.end(page.after);
  }

  /** Writes the charts; false when there were none to write. */
  private async charts(
    req: Request,
    res: Response,
    theme: ChartTheme,
    prefetch: LandingPrefetch,
    planned: { location: { pathname: string; search: string }; now: number; requests: NonNullable<ReturnType<typeof landingChartRequests>> },
    closed: () => boolean,
  ): Promise<boolean> {
    const { location, now, requests } = planned;
    const reads = [...requests.series, requests.alerts].map((u) => prefetch.peek(req, u) ?? Promise.resolve(undefined));
    let timer: NodeJS.Timeout | undefined;
    const bodies = await Promise.race([Promise.all(reads), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.waitMs)))]);
    clearTimeout(timer);
    if (!bodies || bodies.some((b) => b === undefined) || closed()) {
      const why = closed() ? 'the browser left' : !bodies ? `its answers took longer than ${this.waitMs} ms` : 'a read failed';
      this.options.log.info('server charts: page sent without drawings; it draws its charts itself', { url: req.originalUrl.slice(0, 200), why });
      return false;
    }
    const width = requestChartWidth(req);
    const hash = createHash('sha1').update(`${theme}\n${width}\n${location.pathname}\n${location.search}\n`);
    for (const b of bodies) hash.update(b!).update('\n');
    const key = hash.digest('hex');
    const kept = this.cache.get(key);
    if (kept !== undefined) {
      this.counts.cacheHits++;
      res.write(kept);
      return true;
    }
    const job: LandingDrawJob = { location, catalog: this.options.catalog, now, bodies: bodies as Buffer[], theme, width };
    const page = planLanding(job);
    if (!page || page.charts.length === 0) return false;
    const parts = [`<div id="${SERVER_CHARTS_ELEMENT_ID}" class="server-charts" data-theme="${theme}" data-window="${page.window}" data-width="${width}">`];
    res.write(parts[0]);
    for (const chart of page.charts) {
      // One chart per turn of the event loop: code requests and other pages are served in between.
      await nextTurn();
      if (closed()) return true;
      const started = performance.now();
      const html = drawChartFigure(chart, theme, width);
      this.counts.drawMs += performance.now() - started;
      this.counts.charts++;
      parts.push(html);
      res.write(html);
    }
    const end = `</div><script>${CHARTS_PAINTED_SCRIPT}</script>`;
    parts.push(end);
    res.write(end);
    this.keep(key, parts.join(''));
    return true;
  }

  private keep(key: string, html: string): void {
    if (html.length > this.cacheBytes) return;
    if (this.heldBytes + html.length > this.cacheBytes) {
      this.cache.clear();
      this.heldBytes = 0;
    }
    this.cache.set(key, html);
    this.heldBytes += html.length;
  }
}
