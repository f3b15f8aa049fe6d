/**
 * Where one cold IP page load spent its time up to the server-drawn charts' paint, read from the
 * page's own timings (navigation and resource timing, paint timing, its marks, long tasks seen by
 * `LONG_TASKS_INIT_SCRIPT`), all on the navigation clock in milliseconds.
 */
export interface LoadBreakdown {
  /** The HTML's first byte (`responseStart`): the server's time to first byte. */
  htmlFirstByte: number;
  /** The HTML's last byte (`responseEnd`): after the last drawing and the page's end. */
  htmlEnd: number;
  /** Bytes of the HTML as sent (`encodedBodySize`) and as parsed (`decodedBodySize`). */
  htmlBytes: number;
  htmlDecodedBytes: number;
  /** The drawings parsed (`ipscope:server-charts-parsed`, an inline script after the last one). */
  parsed: number | null;
  /** The frame after that (`ipscope:server-charts-painted`). */
  painted: number | null;
  /** First contentful paint. */
  firstContentfulPaint: number | null;
  /** Main-thread long tasks (over 50 ms) that began before the paint mark: count and summed duration. */
  longTasksBeforePainted: number;
  longTaskMsBeforePainted: number;
  /** The page's first series request: sent, and its first byte (answered from the read-ahead). */
  seriesRequested: number | null;
  seriesFirstByte: number | null;
  /** The app's code began (`ipscope:app-start`). */
  appStart: number | null;
}

/**
 * An init script (runs before any of the page's scripts) that keeps the page's long tasks in
 * `window.__ipscopeLongTasks` as [startTime, duration] pairs.
 */
export const LONG_TASKS_INIT_SCRIPT = `(() => {
  const kept = (window.__ipscopeLongTasks = []);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) kept.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
  } catch (error) { /* no long task timing in this browser: counted as none */ }
})();`;

/** Page code (a string: the bench is type-checked without the DOM library) that returns a `LoadBreakdown`. */
export const LOAD_BREAKDOWN_SCRIPT = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const mark = (name) => performance.getEntriesByName(name).at(0)?.startTime ?? null;
  const painted = mark('ipscope:server-charts-painted');
  const tasks = (window.__ipscopeLongTasks ?? []).filter(([start]) => painted !== null && start < painted);
  const series = performance.getEntriesByType('resource').filter((e) => e.name.includes('/series?')).sort((a, b) => a.startTime - b.startTime)[0];
  return {
    htmlFirstByte: nav.responseStart,
    htmlEnd: nav.responseEnd,
    htmlBytes: nav.encodedBodySize,
    htmlDecodedBytes: nav.decodedBodySize,
    parsed: mark('ipscope:server-charts-parsed'),
    painted,
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    longTasksBeforePainted: tasks.length,
    longTaskMsBeforePainted: tasks.reduce((sum, [, d]) => sum + d, 0),
    seriesRequested: series?.startTime ?? null,
    seriesFirstByte: series?.responseStart ?? null,
    appStart: mark('ipscope:app-start'),
  };
})()`;

/** p50 and p90 of each field over the loads that have it (whole ms, bytes as they are). */
export function summarizeBreakdowns(loads: readonly LoadBreakdown[], percentile: (xs: readonly number[], p: number) => number): Record<string, { p50: number; p90: number } | null> {
  const fields = Object.keys(loads[0] ?? {}) as Array<keyof LoadBreakdown>;
  return Object.fromEntries(
    fields.map((f) => {
      const xs = loads.map((l) => l[f]).filter((x): x is number => typeof x === 'number');
      return [f, xs.length === 0 ? null : { p50: Math.round(percentile(xs, 50)), p90: Math.round(percentile(xs, 90)) }];
    }),
  );
}
