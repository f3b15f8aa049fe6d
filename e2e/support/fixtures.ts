import { test as base, expect, type Page } from '@playwright/test';

/** The part of a catalog entry (`GET /api/metrics`) the specs use. */
export interface MetricInfo {
  name: string;
  type: string;
  intervals: string[];
}

/** Everything the browser reported as an error: console errors and uncaught exceptions. */
export interface BrowserErrors {
  console: string[];
  page: string[];
}

export const test = base.extend<{ browserErrors: BrowserErrors; catalog: MetricInfo[] }>({
  browserErrors: async ({ page }, use) => {
    const errors: BrowserErrors = { console: [], page: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') errors.console.push(m.text());
    });
    page.on('pageerror', (e) => errors.page.push(e.message));
    await use(errors);
  },
  catalog: async ({ request }, use) => {
    const res = await request.get('/api/metrics');
    expect(res.ok()).toBe(true);
    const body = (await res.json()) as { metrics: MetricInfo[] };
    await use(body.metrics);
  },
});
export { expect };

/** How many times the IP page has finished drawing all its charts (it counts them on the charts section). */
export async function drawCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('charts').getAttribute('data-drawn')) ?? 0);
}

/** Waits until the IP page has drawn all its charts more than `after` times (default: at least once). */
export async function chartsDrawn(page: Page, after = 0): Promise<void> {
  await expect.poll(() => drawCount(page), { timeout: 30_000 }).toBeGreaterThan(after);
}

/** The `zoom` parameter of the page's URL as unix seconds, or undefined. */
export function zoomOf(url: string): { from: number; to: number } | undefined {
  const text = new URL(url).searchParams.get('zoom');
  const m = text ? /^(\d+)-(\d+)$/.exec(text) : null;
  return m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
}
