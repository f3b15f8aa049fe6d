import { e2eAlertSeed, e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, expect, test } from './support/fixtures';

const runId = e2eRun();
const { from, to } = e2eDataset(runId);
const [ip] = expectedResponders(e2eDataset(runId).records)[0]!;
const seed = e2eAlertSeed(runId, ip);
// The dataset's hour, zoomed to the 30 minutes around the seeded alert, histogram drawn as a heatmap.
const zoom = { from: seed.start - 15 * 60, to: seed.start + 15 * 60 };
const view = `?from=${from}&to=${to}&zoom=${zoom.from}-${zoom.to}&modes=conn.state.resp:heatmap&live=0`;

test('a link restores the exact view on reload and in a new tab; PNG export; alert explained on hover', async ({ page, context, browserErrors }) => {
  await page.goto(`/ip/${ip}${view}`);
  await chartsDrawn(page);
  const check = async (p: typeof page) => {
    await expect(p.getByTestId('chart-conn.count.resp')).toHaveAttribute('data-window', `${zoom.from}-${zoom.to}`);
    await expect(p.getByTestId('chart-conn.state.resp')).toHaveAttribute('data-window', `${zoom.from}-${zoom.to}`);
    await expect(p.getByRole('radiogroup', { name: 'How to draw conn.state.resp' }).getByRole('radio', { name: 'heatmap' })).toHaveAttribute('aria-checked', 'true');
    await expect(p.getByTestId('range-custom')).toHaveAttribute('aria-checked', 'true');
    await expect(p.getByTestId('live-status')).toHaveText('Paused');
  };
  await check(page);

  // The copied link is the same view, with absolute times.
  const link = await page.getByTestId('share-link').inputValue();
  const url = new URL(link);
  expect(url.pathname).toBe(`/ip/${ip}`);
  expect(Object.fromEntries(url.searchParams)).toEqual({
    from: String(from),
    to: String(to),
    zoom: `${zoom.from}-${zoom.to}`,
    modes: 'conn.state.resp:heatmap',
    live: '0',
  });
  await page.reload();
  await chartsDrawn(page);
  await check(page);
  const tab = await context.newPage();
  await tab.goto(link);
  await chartsDrawn(tab);
  await check(tab);
  await tab.close();

  // The charts as one PNG.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = await (await png.createReadStream()).toArray();
  const file = Buffer.concat(bytes);
  expect(file.subarray(1, 4).toString('ascii')).toBe('PNG');
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  expect(width).toBeGreaterThan(1000);
  expect(height).toBeGreaterThan(1000);

  // Hovering the alert's marked area explains it.
  const chart = page.getByTestId('chart-conn.count.resp');
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const gridLeft = 64;
  const gridRight = 24;
  const t = seed.start + 90;
  const x = box.x + gridLeft + ((t - zoom.from) / (zoom.to - zoom.from)) * (box.width - gridLeft - gridRight);
  // ECharts renders its tooltip as HTML inside the chart's element.
  const tooltip = chart.locator('div', { hasText: seed.explanation }).last();
  // The hover shows the area's own tooltip or the axis tooltip (both explain the alert in the same
  // words); one that lands before the chart's last draw (the alerts can arrive after the series) shows
  // nothing until the mouse moves again, so it moves again until the explanation shows.
  let nudge = 0;
  await expect(async () => {
    await page.mouse.move(x + (nudge % 2), box.y + box.height * 0.6);
    nudge += 1;
    await expect(tooltip).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(tooltip).toContainText('HIGH alert');
  await expect(tooltip).toContainText('expected 38, observed 412');
  expect(browserErrors).toEqual({ console: [], page: [] });
});
