import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';
import type { LandingDrawJob, LandingDrawPlan } from './landingDrawing';

/** A page's share of charts for one drawer thread. */
export interface DrawerRequest {
  id: number;
  job: LandingDrawJob;
  /** Which share of the page's charts this thread draws (`shareCharts`), from 0. */
  share: number;
  shares: number;
}

/** What a drawer thread posts: ready once at start; per page its plan, each chart it drew, then done (or an error). */
export type DrawerReply =
  | { id: number; type: 'ready' }
  | { id: number; type: 'plan'; plan: LandingDrawPlan | null }
  | { id: number; type: 'chart'; index: number; html: string; ms: number }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; message: string };

/** Settings of `ChartDrawer`; defaults beside each. */
export interface ChartDrawerOptions {
  /** Drawer threads; a page's charts are shared among them. Default: 2, or 1 on a machine with one core. */
  threads?: number;
  /** Pages being drawn or waiting at once; a page beyond it is refused (`DrawerBusyError`). Default 8. */
  maxPages?: number;
  /** The longest a page's drawing may take; then its threads are stopped and started again. Default 15 000 ms. */
  timeoutMs?: number;
  /** The threads' entry module. Default `chartDrawerWorker.ts` beside this file (tests start one that can be made to fail). */
  entry?: URL;
  log: Logger;
}

/** The drawer could not draw a page (a thread stopped, the page took too long, or a thread reported an error). */
export class DrawerError extends Error {
  override readonly name: string = 'DrawerError';
  /** Drawing the same page again may work (a thread was restarted). */
  readonly retriable: boolean = true;
}

/** The drawer already has `maxPages` pages to draw; this one is not drawn (the page draws its charts itself). */
export class DrawerBusyError extends DrawerError {
  override readonly name = 'DrawerBusyError';
}

/** One page being drawn, as the caller sees it. */
export interface DrawnPage {
  /** The page's charts in order (window and keys), or undefined when the page has no charts to draw. */
  plan: Promise<LandingDrawPlan | undefined>;
  /** Each chart's figure in page order, as soon as it and every chart before it is drawn, with its drawing time (ms, in its thread). */
  charts(): AsyncGenerator<{ html: string; ms: number }>;
}

interface Slot {
  worker: Worker;
  /** The thread has started (loaded its code and drawn its first chart). */
  ready: boolean;
  /** Settles when the thread is ready, or has failed before it was. */
  started: Promise<void>;
  markStarted: () => void;
  /** Pages this thread has been sent and has not finished. */
  pages: Set<PageState>;
}

interface PageState {
  id: number;
  plan: { resolve: (plan: LandingDrawPlan | undefined) => void; settled: boolean };
  charts: Map<number, { html: string; ms: number }>;
  /** Threads still drawing their share. */
  pending: number;
  failure: DrawerError | undefined;
  /** Wakes the reader of `charts()` when something arrives. */
  wake: () => void;
  timer: NodeJS.Timeout;
  slots: Slot[];
}

const WORKER_FILE = new URL('./chartDrawerWorker.ts', import.meta.url);

/**
 * How a drawer thread loads TypeScript: the packages are TypeScript sources run by tsx, and a
 * worker thread does not inherit the loader hooks of the thread that starts it, so each thread
 * registers tsx's ESM hooks before importing its entry (`tsx/esm/api`, the package's own API).
 */
function workerBootstrap(entry: URL): string {
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(tsxPackage.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
}

/**
 * Draws IP pages' charts in worker threads, so the server's event loop keeps serving (the page's
 * code, its data requests, other users) while ECharts draws, and a page's charts are drawn on
 * two cores at once. The threads start with the drawer and each draws a small chart first (the
 * first page does not pay for loading ECharts). Every page goes to every thread with its share
 * of the charts (`shareCharts`); the caller gets the plan, then the charts in page order as
 * they come. At most `maxPages` pages are taken at once; a thread that exits or fails fails the
 * pages it had and is started again, and a page that takes longer than `timeoutMs` stops its
 * threads (started again) and fails. `close()` stops the threads.
 */
export class ChartDrawer {
  private readonly threads: number;
  private readonly maxPages: number;
  private readonly timeoutMs: number;
  private readonly slots: Slot[] = [];
  private readonly pages = new Map<number, PageState>();
  private readonly bootstrap: string;
  private nextId = 1;
  private closed = false;
  /** Why the threads could not start (a thread that fails before it is ready is not started again). */
  private broken: string | undefined;

  constructor(private readonly options: ChartDrawerOptions) {
    this.threads = options.threads ?? Math.min(2, os.availableParallelism());
    this.maxPages = options.maxPages ?? 8;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.bootstrap = workerBootstrap(options.entry ?? WORKER_FILE);
    if (!(Number.isInteger(this.threads) && this.threads >= 1 && this.threads <= 16)) throw new RangeError(`threads: must be a whole number from 1 to 16 (e.g. 2), got ${this.threads}`);
    if (!(Number.isInteger(this.maxPages) && this.maxPages >= 1)) throw new RangeError(`maxPages: must be a positive whole number (e.g. 8), got ${this.maxPages}`);
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs: must be a positive number of milliseconds (e.g. 15000), got ${this.timeoutMs}`);
    for (let i = 0; i < this.threads; i++) this.slots.push(this.startSlot(i));
  }

  /** Starts drawing a page; throws `DrawerBusyError` when `maxPages` pages are already taken. */
  draw(job: LandingDrawJob): DrawnPage {
    if (this.closed) throw new DrawerError('the chart drawer is closed');
    if (this.broken !== undefined) throw new DrawerError(`the chart drawing threads could not start: ${this.broken}`);
    if (this.pages.size >= this.maxPages) throw new DrawerBusyError(`the chart drawer already has ${this.pages.size} pages to draw (maxPages ${this.maxPages})`);
    const id = this.nextId++;
    let resolvePlan: (plan: LandingDrawPlan | undefined) => void = () => undefined;
    const plan = new Promise<LandingDrawPlan | undefined>((resolve) => (resolvePlan = resolve));
    const state: PageState = {
      id,
      plan: { resolve: resolvePlan, settled: false },
      charts: new Map(),
      pending: this.slots.length,
      failure: undefined,
      wake: () => undefined,
      timer: setTimeout(() => this.timedOut(state), this.timeoutMs),
      slots: [...this.slots],
    };
    state.timer.unref();
    // A plan that never comes (a failure first) must still settle for the caller.
    const planned = plan.then((p) => {
      if (state.failure) throw state.failure;
      return p;
    });
    planned.catch(() => undefined);
    this.pages.set(id, state);
    state.slots.forEach((slot, share) => {
      slot.pages.add(state);
      slot.worker.postMessage({ id, job, share, shares: state.slots.length } satisfies DrawerRequest);
    });
    return { plan: planned, charts: () => this.inOrder(state) };
  }

  /** Settles once every thread has started (loaded ECharts and drawn its first chart) or failed to; pages sent before then wait in their threads. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.started));
  }

  /** Whether every thread has started; until then (a few seconds after start, or after a restart) pages are better drawn elsewhere. */
  get isReady(): boolean {
    return this.broken === undefined && !this.closed && this.slots.every((slot) => slot.ready);
  }

  /** Pages being drawn or waiting. */
  get busy(): number {
    return this.pages.size;
  }

  /** Stops the threads; pages still being drawn fail. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) this.failSlot(slot, new DrawerError('the chart drawer was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private async *inOrder(state: PageState): AsyncGenerator<{ html: string; ms: number }> {
    for (let index = 0; ; index++) {
      for (;;) {
        const chart = state.charts.get(index);
        if (chart) {
          state.charts.delete(index);
          yield chart;
          break;
        }
        if (state.failure) throw state.failure;
        if (state.pending === 0) return;
        await new Promise<void>((resolve) => (state.wake = resolve));
      }
    }
  }

  private startSlot(position: number): Slot {
    const worker = new Worker(this.bootstrap, { eval: true, name: `ipscope-chart-drawer-${position}` });
    worker.unref();
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const slot: Slot = { worker, ready: false, started, markStarted, pages: new Set() };
    worker.on('message', (reply: DrawerReply) => this.onReply(slot, reply));
    worker.on('error', (error) => {
      this.options.log.warn('chart drawer: a drawing thread failed; starting it again', { error });
      this.replace(slot, position, new DrawerError(`a chart drawing thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (this.closed || !this.slots.includes(slot)) return;
      this.options.log.warn('chart drawer: a drawing thread exited; starting it again', { code });
      this.replace(slot, position, new DrawerError(`a chart drawing thread exited (code ${code})`));
    });
    return slot;
  }

  /** Fails the slot's pages and puts a new thread in its place (not once closed). */
  private replace(slot: Slot, position: number, failure: DrawerError): void {
    const at = this.slots.indexOf(slot);
    slot.markStarted();
    this.failSlot(slot, failure);
    void slot.worker.terminate();
    if (!slot.ready) {
      // Failing before it was ready is not a fault of one page: starting it again would fail the same way, in a loop.
      this.broken ??= failure.message;
      this.options.log.error('chart drawer: a drawing thread could not start; pages are sent without server drawings', { error: failure });
      for (const other of this.slots) this.failSlot(other, failure);
      return;
    }
    if (at >= 0 && !this.closed) this.slots[at] = this.startSlot(position);
  }

  private failSlot(slot: Slot, failure: DrawerError): void {
    for (const state of slot.pages) this.fail(state, failure);
    slot.pages.clear();
  }

  private timedOut(state: PageState): void {
    if (!this.pages.has(state.id)) return;
    const failure = new DrawerError(`drawing the page's charts took longer than ${this.timeoutMs} ms`);
    this.options.log.warn('chart drawer: a page took too long; starting its drawing threads again', { timeoutMs: this.timeoutMs });
    for (const slot of state.slots) {
      const position = this.slots.indexOf(slot);
      if (slot.pages.has(state) && position >= 0) this.replace(slot, position, failure);
    }
    this.fail(state, failure);
  }

  private fail(state: PageState, failure: DrawerError): void {
    if (!this.pages.has(state.id)) return;
    state.failure = failure;
    this.finish(state);
  }

  private finish(state: PageState): void {
    clearTimeout(state.timer);
    this.pages.delete(state.id);
    for (const slot of state.slots) slot.pages.delete(state);
    if (!state.plan.settled) {
      state.plan.settled = true;
      state.plan.resolve(undefined);
    }
    state.wake();
  }

  private onReply(slot: Slot, reply: DrawerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      slot.markStarted();
      return;
    }
    const state = this.pages.get(reply.id);
    if (!state) return;
    switch (reply.type) {
      case 'plan':
        if (!state.plan.settled) {
          state.plan.settled = true;
          state.plan.resolve(reply.plan ?? undefined);
        }
        break;
      case 'chart':
        state.charts.set(reply.index, { html: reply.html, ms: reply.ms });
        break;
      case 'done':
        slot.pages.delete(state);
        state.pending--;
        if (state.pending === 0) this.finish(state);
        break;
      case 'error':
        slot.pages.delete(state);
        this.fail(state, new DrawerError(`drawing the page's charts failed: ${reply.message}`));
        break;
    }
    state.wake();
  }
}
