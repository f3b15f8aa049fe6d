import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartDrawer, DrawerBusyError, DrawerError, type DrawnPage } from './chartDrawer';
import { drawChartFigure, planLanding } from './landingDrawing';
import { landingDrawJob } from './testing/landingDrawJob';
import { recordingLogger } from './testing/recordingLogger';

const collect = async (page: DrawnPage) => {
  const figures: string[] = [];
  for await (const chart of page.charts()) {
    expect(chart.ms).toBeGreaterThan(0);
    figures.push(chart.html);
  }
  return figures;
};

describe('ChartDrawer (real worker threads)', () => {
  const log = recordingLogger();
  const drawer = new ChartDrawer({ threads: 2, log });
  // Each thread loads ECharts through tsx when it starts: seconds on a loaded machine.
  beforeAll(() => drawer.ready(), 120_000);
  afterAll(() => drawer.close());

  it('draws a page’s charts in two threads, in page order, exactly as the event loop draws them', async () => {
    for (const job of [landingDrawJob(), landingDrawJob({ theme: 'light', width: 1243, search: '&zoom=1714565400-1714566000' })]) {
      const page = drawer.draw(job);
      const planned = planLanding(job)!;
      expect(await page.plan).toEqual(planned.plan);
      const figures = await collect(page);
      // The same drawings but for ECharts' instance numbers in element ids and (hover style) classes, counted per thread...
      const plain = (html: string) => html.replace(/(id="|url\(#|href="#)zr\d+(t\d+)?-/g, '$1zr-').replace(/ class="zr\d+(t\d+)?-cls-\d+"/g, '');
      expect(figures.map(plain)).toEqual(planned.charts.map((c) => plain(drawChartFigure(c, job.theme, job.width))));
      // ...which stay unique in the page, whichever thread drew the chart (clip paths are found by id).
      const ids = figures.flatMap((f) => [...f.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
      expect(ids.length).toBeGreaterThan(4);
      expect(new Set(ids).size).toBe(ids.length);
      for (const f of figures) for (const [, ref] of f.matchAll(/url\(#([^)]+)\)/g)) expect(f).toContain(`id="${ref}"`);
    }
    expect(drawer.busy).toBe(0);
  });

  it('draws pages sent at once, each complete and in its own order', async () => {
    const jobs = [landingDrawJob({ width: 700 }), landingDrawJob({ width: 800 }), landingDrawJob({ width: 900, theme: 'light' })];
    const pages = jobs.map((job) => drawer.draw(job));
    expect(drawer.busy).toBe(3);
    const drawn = await Promise.all(pages.map(collect));
    drawn.forEach((figures, i) => {
      expect(figures).toHaveLength(4);
      for (const figure of figures) expect(figure).toContain(`<svg width="${jobs[i]!.width}"`);
    });
  });

  it('says when a page has no charts to draw', async () => {
    const page = drawer.draw(landingDrawJob({ empty: true }));
    expect((await page.plan)?.keys).toEqual([]);
    expect(await collect(page)).toEqual([]);
  });

  it('fails a page whose answers cannot be read with a DrawerError that says why, and draws the next page', async () => {
    const job = landingDrawJob();
    const bad = drawer.draw({ ...job, bodies: [new TextEncoder().encode('not json'), job.bodies[1]!] });
    await expect(bad.plan).rejects.toThrow(DrawerError);
    await expect(bad.plan).rejects.toThrow(/drawing the page's charts failed: SyntaxError/);
    await expect(collect(bad)).rejects.toThrow(DrawerError);
    expect(await collect(drawer.draw(job))).toHaveLength(4);
  });

  it('refuses a page beyond maxPages with DrawerBusyError, and bad settings at once', async () => {
    const small = new ChartDrawer({ threads: 1, maxPages: 1, log });
    try {
      expect(small.isReady).toBe(false);
      await small.ready();
      expect(small.isReady).toBe(true);
      const first = small.draw(landingDrawJob());
      expect(() => small.draw(landingDrawJob())).toThrow(DrawerBusyError);
      expect(() => small.draw(landingDrawJob())).toThrow(/already has 1 pages to draw \(maxPages 1\)/);
      expect(await collect(first)).toHaveLength(4);
      expect(await collect(small.draw(landingDrawJob()))).toHaveLength(4);
    } finally {
      await small.close();
    }
    expect(small.isReady).toBe(false);
    expect(() => small.draw(landingDrawJob())).toThrow(/the chart drawer is closed/);
    expect(() => new ChartDrawer({ threads: 0, log })).toThrow(/threads: must be a whole number from 1 to 16/);
    expect(() => new ChartDrawer({ threads: 1, maxPages: 0, log })).toThrow(/maxPages: must be a positive whole number/);
    expect(() => new ChartDrawer({ threads: 1, timeoutMs: 0, log })).toThrow(/timeoutMs: must be a positive number/);
  }, 120_000);

  it('fails the pages of a thread that exits, starts the thread again and draws the next page', async () => {
    const failing = new ChartDrawer({ threads: 2, log, entry: new URL('./testing/failingDrawerWorker.ts', import.meta.url) });
    try {
      await failing.ready();
      const lost = failing.draw(landingDrawJob({ width: 321 }));
      await expect(collect(lost)).rejects.toThrow(/a chart drawing thread exited \(code 7\)/);
      expect(log.entries.some((e) => e.level === 'warn' && e.message.includes('a drawing thread exited; starting it again'))).toBe(true);
      await failing.ready();
      expect(failing.isReady).toBe(true);
      expect(await collect(failing.draw(landingDrawJob()))).toHaveLength(4);
    } finally {
      await failing.close();
    }
  }, 120_000);

  it('fails the pages of a closed drawer rather than leaving them waiting', async () => {
    const closing = new ChartDrawer({ threads: 1, log });
    const page = closing.draw(landingDrawJob());
    await closing.close();
    await expect(collect(page)).rejects.toThrow(/the chart drawer was closed/);
  });
});
