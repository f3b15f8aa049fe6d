import fs from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { e2eAlertSeed, e2eDataset, e2eRun, expectedResponders, respondedBetween } from './support/dataset';
import { chartsDrawn, drawCount, expect, test, zoomOf } from './support/fixtures';

const runId = e2eRun();
const { records } = e2eDataset(runId);
const [busiestIp, busiestCount] = expectedResponders(records)[0]!;
const ipUrl = new RegExp(`/ip/${busiestIp.replace(/\./g, '\\.')}(\\?|$)`);

/** The metrics the IP page draws as charts, and those it lists as having no data. */
async function metricsOnPage(page: Page): Promise<{ charted: string[]; empty: string[] }> {
  const attr = (sel: string) => page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute('data-metric') ?? ''));
  return { charted: await attr('[data-testid="metric-chart"]'), empty: await attr('[data-testid="empty-metrics"] [data-metric]') };
}

/** Splits one CSV line (the export quotes nothing but headers with brackets, which hold no commas). */
const cells = (line: string) => line.split(',');

test('analyst journey: busiest IP, zoom, peer and back, CSV export, acknowledge', async ({ page, browserErrors, catalog }) => {
  test.setTimeout(120_000);
  // Overview → the busiest IP.
  await page.goto('/');
  const first = page.getByTestId('top-row').first();
  await expect(first).toHaveAttribute('data-value', String(busiestCount), { timeout: 45_000 });
  await first.getByRole('link', { name: busiestIp }).click();
  await expect(page).toHaveURL(ipUrl);
  await chartsDrawn(page);
  // Every metric of the catalog is there: drawn when it has data, else named in the no-data line.
  const { charted, empty } = await metricsOnPage(page);
  expect([...charted, ...empty].sort()).toEqual(catalog.filter((m) => m.intervals.includes('days')).map((m) => m.name).sort());
  expect(charted).toEqual(expect.arrayContaining(['conn.count.resp', 'conn.responded', 'conn.state.resp']));
  for (const m of charted) await expect(page.getByTestId(`chart-${m}`).locator('canvas')).toHaveCount(1);

  // The last hour holds the data; drag across the middle of one chart to zoom.
  const draws = await drawCount(page);
  await page.getByTestId('range-1h').click();
  await expect(page).toHaveURL(/range=1h/);
  await chartsDrawn(page, draws);
  const drawnMetrics = (await metricsOnPage(page)).charted;
  const target = page.getByTestId('chart-conn.count.resp');
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.65, y, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/zoom=\d+-\d+/);
  const zoom = zoomOf(page.url())!;
  expect(zoom.to - zoom.from).toBeGreaterThanOrEqual(60);
  expect(zoom.to - zoom.from).toBeLessThan(3600);
  expect(zoom.from % 60).toBe(0);
  // Every chart follows the zoom, not only the one dragged on: those on screen at once, the others as they scroll into view.
  for (const m of drawnMetrics) {
    await page.getByTestId(`chart-${m}`).scrollIntoViewIfNeeded();
    await expect(page.getByTestId(`chart-${m}`)).toHaveAttribute('data-window', `${zoom.from}-${zoom.to}`);
  }
  const zoomedUrl = page.url();

  // A peer opens on the same window; back returns to the zoomed view.
  const peer = page.getByTestId('peer-row').first();
  await expect(peer).toBeVisible();
  const peerIp = (await peer.getAttribute('data-ip'))!;
  await peer.getByRole('link', { name: peerIp }).click();
  await expect(page).toHaveURL(new RegExp(`/ip/${peerIp.replace(/[.]/g, '\\.')}\\?`));
  expect(zoomOf(page.url())).toEqual(zoom);
  expect(new URL(page.url()).searchParams.get('range')).toBe('1h');
  await chartsDrawn(page);
  await expect(page.getByTestId('ip-heading')).toHaveText(peerIp);
  await page.goBack();
  await expect(page).toHaveURL(zoomedUrl);
  await expect(page.getByTestId('ip-heading')).toHaveText(busiestIp);
  await chartsDrawn(page);
  await expect(page.getByTestId('chart-conn.count.resp')).toHaveAttribute('data-window', `${zoom.from}-${zoom.to}`);

  // Export the visible series: one row per minute of the zoom, counts as sent through Kafka.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = await fs.readFile((await download.path())!, 'utf8');
  await fs.writeFile(test.info().outputPath('export.csv'), csv);
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  const columns = cells(header!);
  expect(columns[0]).toBe('timestamp');
  const col = columns.indexOf('conn.count.resp');
  expect(col).toBeGreaterThan(0);
  expect(rows).toHaveLength((zoom.to - zoom.from) / 60);
  expect(rows[0]!.startsWith(new Date(zoom.from * 1000).toISOString().slice(0, 19))).toBe(true);
  const sum = rows.reduce((s, r) => s + Number(cells(r)[col]), 0);
  expect(sum).toBe(respondedBetween(records, busiestIp, zoom.from, zoom.to));
  expect(sum).toBeGreaterThan(0);

  // Acknowledge the seeded alert.
  const seed = e2eAlertSeed(runId, busiestIp);
  const alert = page.getByTestId('alert-row').filter({ hasText: seed.explanation });
  await expect(alert).toHaveAttribute('data-status', 'new');
  await page.getByTestId('analyst-name').fill('e2e analyst');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toHaveAttribute('data-status', 'acknowledged');
  await expect(alert.getByTestId('acknowledged-by')).toContainText('Acknowledged by e2e analyst');
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  // The acknowledgement is stored, not only shown: a fresh load still has it.
  await page.reload();
  await expect(page.getByTestId('alert-row').filter({ hasText: seed.explanation })).toHaveAttribute('data-status', 'acknowledged');
  await page.screenshot({ path: test.info().outputPath('ip-zoomed.png'), fullPage: true });
  expect(browserErrors).toEqual({ console: [], page: [] });
});
