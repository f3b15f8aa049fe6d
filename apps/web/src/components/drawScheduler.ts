/**
 * Draws charts in the viewport at once and the others soon after, top to bottom, in tasks
 * of at most ~40 ms (one chart per task when charts are slow), after the next frame. A page
 * of many charts thus shows the visible ones within a frame and stays responsive while the
 * rest catch up; scrolling a queued chart into view draws it at once. One pending draw per
 * element: a newer request replaces the older (its function always applies the chart's
 * latest state).
 *
 * A lazy draw (a chart that only moves its zoom window) waits off screen until the chart
 * scrolls into view (or the charts are exported): zooming then redraws only what is seen.
 */
interface Pending {
  draw: () => void;
  lazy: boolean;
}

const queue = new Map<Element, Pending>();
let handle: number | undefined;
let observer: IntersectionObserver | undefined;
/** How long one task may keep drawing queued charts before yielding to input and painting. */
const TASK_BUDGET_MS = 40;

function inViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
}

const drainListeners = new Set<() => void>();

function run(el: Element): void {
  const pending = queue.get(el);
  if (!pending) return;
  queue.delete(el);
  observer?.unobserve(el);
  pending.draw();
  if (pendingDraws() === 0) for (const listener of drainListeners) listener();
}

/** Calls `listener` whenever the last queued (not lazy) draw has run; returns the unsubscribe. */
export function onDrained(listener: () => void): () => void {
  drainListeners.add(listener);
  return () => drainListeners.delete(listener);
}

function nextEager(): Element | undefined {
  let first: Element | undefined;
  let top = Infinity;
  for (const [el, p] of queue) {
    if (p.lazy) continue;
    const t = el.getBoundingClientRect().top;
    if (t < top) [first, top] = [el, t];
  }
  return first;
}

function next(): void {
  handle = undefined;
  const started = performance.now();
  for (let el = nextEager(); el; el = performance.now() - started < TASK_BUDGET_MS ? nextEager() : undefined) run(el);
  // Input and painting get their turn between tasks.
  if (pendingDraws() > 0) handle = window.setTimeout(next, 0);
}

function pump(): void {
  if (handle !== undefined) return;
  // After the next frame, so what was drawn at once is on screen first.
  handle = window.requestAnimationFrame(() => {
    handle = window.setTimeout(next, 0);
  });
}

/**
 * Draws now if `el` is on screen, else soon. With `lazy`, an off-screen chart instead waits
 * until it scrolls into view and then runs `lazy` (the same draw, perhaps reported
 * differently). A lazy request never downgrades an eager one already waiting.
 */
export function scheduleDraw(el: Element, draw: () => void, options: { lazy?: () => void } = {}): void {
  if (inViewport(el)) {
    cancelDraw(el);
    draw();
    return;
  }
  const lazy = options.lazy !== undefined;
  // A waiting eager draw stays: its function applies the chart's latest state anyway.
  if (lazy && queue.get(el)?.lazy === false) return;
  queue.set(el, { draw: options.lazy ?? draw, lazy });
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) run(e.target);
  });
  observer.observe(el);
  if (!lazy) pump();
}

/** Forgets the pending draw of `el` (the chart is going away). */
export function cancelDraw(el: Element): void {
  if (queue.delete(el)) observer?.unobserve(el);
}

/** Runs every queued draw now, lazy ones included (before exporting the charts as an image). */
export function flushDraws(): void {
  for (const el of [...queue.keys()]) run(el);
}

let held = 0;

/**
 * Counts a chart that cannot draw yet (its engine is still loading) as a waiting draw, so the
 * page is not reported drawn before it; returns the release, to call once the chart has
 * scheduled its draw (or is gone). Releasing the last waiting draw tells the drain listeners.
 */
export function holdDraw(): () => void {
  held++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held--;
    if (pendingDraws() === 0) for (const listener of drainListeners) listener();
  };
}

/** How many draws (not lazy) are waiting, held ones included: the page is fully drawn when none is (for the page's draw tracking and the benchmark). */
export function pendingDraws(): number {
  let n = held;
  for (const p of queue.values()) if (!p.lazy) n++;
  return n;
}
