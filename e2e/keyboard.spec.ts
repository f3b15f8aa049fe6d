import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, drawCount, expect, test, zoomOf } from './support/fixtures';

const [busiestIp] = expectedResponders(e2eDataset(e2eRun()).records)[0]!;

test('keyboard only: search, open an IP, zoom and switch the theme; charts have accessible names', async ({ page, browserErrors }) => {
  await page.goto('/');
  // The app shell mounts after the load event (the entry starts the data requests first), so
  // wait for it, as a user waits to see the page, before the first Tab.
  await expect(page.getByTestId('search-input')).toBeVisible();
  // The first Tab lands on the skip link, the next on the search box.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type(busiestIp);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/ip/${busiestIp.replace(/\./g, '\\.')}$`));
  await chartsDrawn(page);

  const zoomIn = page.getByTestId('zoom-in');
  await zoomIn.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/zoom=\d+-\d+/);
  const zoom = zoomOf(page.url())!;
  await expect(page.getByTestId('chart-conn.count.resp')).toHaveAttribute('data-window', `${zoom.from}-${zoom.to}`);
  // The zoomed window (the middle 12 of the 24 hours, before the dataset's hour) becomes the range and is read
  // again: nothing there, and the page says so and when the IP was last seen.
  await page.getByTestId('zoom-as-range').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`\\?from=${zoom.from}&to=${zoom.to}$`));
  await expect(page.getByTestId('ip-empty')).toContainText(`${busiestIp} has no traffic in`);
  await expect(page.getByTestId('ip-empty')).toContainText('Last seen');
  await page.goBack();
  await expect(page).toHaveURL(/zoom=\d+-\d+/);
  await page.getByTestId('zoom-reset').focus();
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/zoom=/);

  const chart = page.getByTestId('chart-conn.count.resp');
  await expect(chart).toHaveAttribute('role', 'img');
  // ECharts' aria component describes the drawn data; the figure around it names the chart. 24 hours of
  // minutes come as two-minute points (the page asks for about as many points as the plot has pixels):
  // 720, or 721 when the range starts on an odd minute (groups are aligned to whole two minutes).
  await expect(chart).toHaveAttribute('aria-label', /^conn\.count\.resp, in connections: 72[01] points from .+ UTC to .+ UTC; total [\d,]+, peak [\d,]+ at .+ UTC\.$/);
  await expect(page.locator('figure[data-metric="conn.count.resp"]')).toHaveAttribute('aria-label', `Chart of conn.count.resp (count, connections) for ${busiestIp}`);

  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const draws = await drawCount(page);
  await page.getByTestId('theme-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await chartsDrawn(page, draws);
  await page.screenshot({ path: test.info().outputPath('ip-light.png') });
  expect(browserErrors).toEqual({ console: [], page: [] });
});
