/**
 * Draws charts in the viewport at once and the others right after the next frame, one
 * per task, top to bottom. A page of many charts thus shows the
 * visible ones within a frame and stays responsive while the rest catch up; scrolling a
 * queued chart into view draws it at once. One pending draw per element: a newer request
 * replaces the older (its function always applies the chart's latest state).
 */
const queue = new Map<Element, () => void>();
let handle: number | undefined;
let observer: IntersectionObserver | undefined;

function inViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
}

const drainListeners = new Set<() => void>();

function run(el: Element): void {
  const draw = queue.get(el);
  if (!draw) return;
  queue.delete(el);
  observer?.unobserve(el);
  draw();
  if (queue.size === 0) for (const listener of drainListeners) listener();
}

/** Calls `listener` whenever the last queued draw has run; returns the unsubscribe. */
export function onDrained(listener: () => void): () => void {
  drainListeners.add(listener);
  return () => drainListeners.delete(listener);
}

function next(): void {
  handle = undefined;
  const first = [...queue.keys()].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
  if (first) run(first);
  if (queue.size > 0) {
    // One chart per task: input and painting get their turn between charts.
    handle = window.setTimeout(next, 0);
  }
}

function pump(): void {
  if (handle !== undefined) return;
  // After the next frame, so what was drawn at once is on screen first.
  handle = window.requestAnimationFrame(() => {
    handle = window.setTimeout(next, 0);
  });
}

/** Draws now if `el` is on screen, else soon. */
export function scheduleDraw(el: Element, draw: () => void): void {
  if (inViewport(el)) {
    cancelDraw(el);
    draw();
    return;
  }
  queue.set(el, draw);
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) run(e.target);
  });
  observer.observe(el);
  pump();
}

/** Forgets the pending draw of `el` (the chart is going away). */
export function cancelDraw(el: Element): void {
  if (queue.delete(el)) observer?.unobserve(el);
}

/** Runs every queued draw now (before exporting the charts as an image). */
export function flushDraws(): void {
  for (const el of [...queue.keys()]) run(el);
}

/** Whether a draw is waiting (for tests of the page and the benchmark: the page is fully drawn when none is). */
export function pendingDraws(): number {
  return queue.size;
}
