import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../log';

/** Settings of `LandingPrefetch`; defaults beside each. */
export interface LandingPrefetchOptions {
  /** The API requests (`/api/...` with query) the page at a location will send as soon as it loads, in the order it needs the answers. */
  plan: (location: { pathname: string; search: string }) => readonly string[];
  /** How long an answer read ahead is kept for the page's own request. Default 10 000 ms. */
  holdMs?: number;
  /** The longest the reads wait for the page's code to be sent. Default 1 000 ms. */
  codeWaitMs?: number;
  /** At most this many answers held or being read at once; a page beyond it is not read ahead. Default 64. */
  maxHeld?: number;
  log: Logger;
}

/** An answer read ahead: only a 200 is ever handed out (anything else goes to the route again). */
interface Held {
  contentType: string;
  body: Buffer;
}

interface Entry {
  answer: Promise<Held | undefined>;
  page: PendingPage;
  timer: NodeJS.Timeout;
  /** Settles the entry's `gone`: it was handed out, expired or replaced by a newer load's read. */
  release: () => void;
  gone: Promise<void>;
}

/** A page whose reads wait until its code and style files have been sent. */
interface PendingPage {
  client: string;
  /** Code and style files of the page not yet sent in full. */
  remaining: Set<string>;
  /** Whether the browser asked for any of them (if not, it has them cached). */
  askedForCode: boolean;
  begun: boolean;
  begin: () => void;
}

/** Counts since start, for tests and the benchmark's diagnosis. */
export interface LandingPrefetchStats {
  /** Requests read ahead. */
  started: number;
  /** Page requests answered with an answer read ahead. */
  served: number;
  /** Answers dropped because the page did not ask within `holdMs`. */
  expired: number;
}

const PREFETCH_HEADER = 'x-ipscope-prefetch';

/**
 * Reads a page's data while the browser is still loading the page's code. When the server
 * serves the HTML of `/ip/<address>?<view>`, `start` plans exactly the API requests the page
 * will send (`plan`) and, once the page's code has been sent, asks this same server for them,
 * one after another in the page's order, over the connection's own local address with the
 * browser's credentials; the answers are held,
 * keyed by request URL and credentials, for `holdMs`. When the page's request arrives (after
 * authentication and the rate limit), `serve` hands it the held answer, waiting for it if the
 * read is still under way, instead of reading again; a held answer is handed out once. A failed
 * or non-200 read, or a request nothing was read for, goes to the route as usual, so a wrong
 * guess costs one extra read and nothing else. The read-ahead requests carry a per-process
 * secret header so they are never answered from the prefetch itself.
 *
 * Code first: one event loop serves the code and the data, and a read holds it for most of its
 * duration, so a code request arriving during a read waits for it. The reads therefore begin
 * when every code and style file the page's HTML names has been sent (`noteAsset` sees them go
 * out), or when the page asks for its data without having asked for any code (it has the code
 * cached), or after `codeWaitMs`, whichever is first. The browser parses and runs the code
 * while the server reads.
 */
export class LandingPrefetch {
  private readonly held = new Map<string, Entry>();
  private readonly pending = new Set<PendingPage>();
  private readonly secret = randomBytes(16).toString('hex');
  private readonly holdMs: number;
  private readonly codeWaitMs: number;
  private readonly maxHeld: number;
  private readonly counts: LandingPrefetchStats = { started: 0, served: 0, expired: 0 };

  constructor(private readonly options: LandingPrefetchOptions) {
    this.holdMs = options.holdMs ?? 10_000;
    this.codeWaitMs = options.codeWaitMs ?? 1000;
    this.maxHeld = options.maxHeld ?? 64;
    if (!(this.holdMs > 0)) throw new RangeError(`holdMs: must be a positive number of milliseconds (e.g. 10000), got ${this.holdMs}`);
    if (!(this.codeWaitMs >= 0)) throw new RangeError(`codeWaitMs: must be zero or a positive number of milliseconds (e.g. 1000), got ${this.codeWaitMs}`);
    if (!(Number.isInteger(this.maxHeld) && this.maxHeld > 0)) throw new RangeError(`maxHeld: must be a positive integer (e.g. 64), got ${this.maxHeld}`);
  }

  /** Counts since start. */
  stats(): LandingPrefetchStats {
    return { ...this.counts };
  }

  /**
   * Plans the data reads of the page `req` asks for (a GET of its HTML, already authenticated),
   * to begin once `assets` (the code and style paths its HTML names) have been sent, or after
   * `codeWaitMs` (default: the instance's): a page whose charts the server draws waits less, since
   * a browser with the code cached asks for nothing and its page runs only after the drawings.
   * With `hold`, the reads from the `from`-th on (in plan order) also wait for `until` to settle
   * (the server's drawing of the page's charts, which the later reads would hold up).
   */
  start(req: Request, assets: readonly string[], options: { codeWaitMs?: number; hold?: { from: number; until: Promise<unknown> } } = {}): void {
    if (req.method !== 'GET') return;
    let urls: readonly string[];
    try {
      const url = new URL(req.originalUrl, 'http://page.invalid');
      urls = this.options.plan({ pathname: url.pathname, search: url.search });
    } catch (error) {
      this.options.log.warn('landing prefetch: could not work out the page requests', { url: req.originalUrl.slice(0, 200), error });
      return;
    }
    // A page loaded again gets new reads: an answer still held from an earlier load (not asked for) is dropped, never handed out late.
    const fresh = [...new Set(urls)];
    const replaced = fresh.filter((u) => this.held.has(this.key(req, u))).length;
    if (fresh.length === 0 || this.held.size - replaced + fresh.length > this.maxHeld) return;
    const address = req.socket.localAddress;
    const port = req.socket.localPort;
    if (!address || !port) return;
    const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    const headers: Record<string, string> = { accept: 'application/json', [PREFETCH_HEADER]: this.secret };
    if (typeof req.headers.cookie === 'string') headers.cookie = req.headers.cookie;
    if (typeof req.headers.authorization === 'string') headers.authorization = req.headers.authorization;

    const starters: Array<() => Promise<unknown>> = [];
    const page: PendingPage = {
      client: this.client(req),
      remaining: new Set(assets),
      askedForCode: false,
      begun: false,
      begin: () => {
        if (page.begun) return;
        page.begun = true;
        this.pending.delete(page);
        clearTimeout(codeWait);
        // One after another, in the page's order: the reads share one event loop, so running them
        // side by side would only delay the first answers to the time of the last.
        const hold = options.hold;
        void starters.reduce<Promise<unknown>>(
          (previous, s, i) => (hold && i === hold.from ? previous.then(() => hold.until.then(s, s)) : previous.then(s)),
          Promise.resolve(),
        );
      },
    };
    for (const url of fresh) {
      const key = this.key(req, url);
      const answer = new Promise<Held | undefined>((resolve) =>
        starters.push(() => {
          const read = this.read(origin + url, headers);
          resolve(read);
          return read;
        }),
      );
      let release: () => void = () => undefined;
      const gone = new Promise<void>((resolve) => (release = resolve));
      const timer = setTimeout(() => {
        if (this.held.get(key)?.answer !== answer) return;
        this.held.delete(key);
        this.counts.expired++;
        release();
      }, this.holdMs);
      timer.unref();
      const earlier = this.held.get(key);
      if (earlier) {
        clearTimeout(earlier.timer);
        earlier.release();
      }
      this.held.set(key, { answer, page, timer, release, gone });
      this.counts.started++;
    }
    const codeWait = setTimeout(page.begin, options.codeWaitMs ?? this.codeWaitMs);
    codeWait.unref();
    if (page.remaining.size === 0) page.begin();
    else this.pending.add(page);
  }

  /**
   * The answer read ahead for `url` with this request's credentials, without handing it out
   * (the page's own request still gets it): resolves to the body of a 200, or undefined when
   * the read failed; undefined at once when nothing is read ahead for it. The server's drawing
   * of the page's charts reads the same answers the page will (`ServerCharts`).
   */
  peek(req: Request, url: string): Promise<Buffer | undefined> | undefined {
    return this.held.get(this.key(req, url))?.answer.then((held) => held?.body);
  }

  /**
   * Settles once every answer read ahead for `urls` with this request's credentials has been
   * handed to the page's own request (or expired, or been replaced by a newer load's read); at
   * once for a URL with nothing held. The server-drawn page's later reads (the summary) wait for
   * this, so the answers the page needs to become interactive are not held up behind them.
   */
  taken(req: Request, urls: readonly string[]): Promise<void> {
    return Promise.all(urls.map((u) => this.held.get(this.key(req, u))?.gone)).then(() => undefined);
  }

  /** Middleware before the static files: notes when a code or style file a pending page waits for has been sent. */
  readonly noteAsset: RequestHandler = (req, res, next) => {
    if (this.pending.size > 0) {
      const client = this.client(req);
      const path = req.baseUrl + req.path;
      for (const page of this.pending) {
        if (page.client !== client || !page.remaining.has(path)) continue;
        page.askedForCode = true;
        res.once('finish', () => {
          page.remaining.delete(path);
          if (page.remaining.size === 0) page.begin();
        });
      }
    }
    next();
  };

  /** Answers a GET the page sends with what was read ahead for it, if anything; otherwise passes it on. */
  readonly serve: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || req.headers[PREFETCH_HEADER] === this.secret) return next();
    const key = this.key(req, req.originalUrl);
    const entry = this.held.get(key);
    if (!entry) return next();
    this.held.delete(key);
    clearTimeout(entry.timer);
    entry.release();
    if (!entry.page.askedForCode) entry.page.begin();
    const waitStarted = performance.now();
    entry.answer.then(
      (held) => {
        if (!held) return next();
        this.counts.served++;
        res.status(200);
        res.setHeader('content-type', held.contentType);
        // Visible to the page (same origin) in its resource timings: how long the request waited for the read.
        res.setHeader('server-timing', `prefetch;dur=${(performance.now() - waitStarted).toFixed(1)}`);
        res.end(held.body);
      },
      (error: unknown) => next(error),
    );
  };

  /** Who loads the page: the browser's address and cookies (sent with its code requests too). */
  private client(req: Request): string {
    return `${req.socket.remoteAddress ?? ''}\n${req.headers.cookie ?? ''}`;
  }

  private key(req: Request, url: string): string {
    return `${req.headers.authorization ?? ''}\n${req.headers.cookie ?? ''}\n${url}`;
  }

  private async read(url: string, headers: Record<string, string>): Promise<Held | undefined> {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.holdMs) });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) return undefined;
      return { contentType: res.headers.get('content-type') ?? 'application/json; charset=utf-8', body };
    } catch (error) {
      this.options.log.warn('landing prefetch: read failed; the page will read for itself', { error });
      return undefined;
    }
  }
}
