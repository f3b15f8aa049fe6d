import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, expect, test, zoomOf } from './support/fixtures';

const { records, from, to } = e2eDataset(e2eRun());
const expected = expectedResponders(records);
const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 16);

test('range picker: presets choose the interval, the interval can be overridden, a custom range is checked before it applies', async ({ page, browserErrors }) => {
  await page.goto('/');
  const interval = page.getByTestId('interval');
  await expect(interval.locator('option').first()).toHaveText('auto: days (1 min steps)');
  await page.getByTestId('range-7d').click();
  await expect(page).toHaveURL(/\?range=7d$/);
  await expect(interval.locator('option').first()).toHaveText('auto: months (30 min steps)');
  // Minute buckets are kept for 2 days: not offered for 7.
  await expect(interval.locator('option[value="days"]')).toBeDisabled();
  await expect(interval.locator('option[value="days"]')).toContainText('keeps 2 days, too short');
  await page.getByTestId('range-24h').click();
  await interval.selectOption('months');
  await expect(page).toHaveURL(/\?interval=months$/);
  await expect(page.getByTestId('top-table')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await interval.selectOption('');
  await expect(page).toHaveURL(/\/$/);

  await page.getByTestId('range-custom').click();
  await page.getByTestId('custom-from').fill(iso(to));
  await page.getByTestId('custom-to').fill(iso(from));
  await expect(page.getByText('The start must be before the end')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
  // The dataset's hour exactly: the table counts every record of it.
  await page.getByTestId('custom-from').fill(iso(from));
  await page.getByTestId('custom-to').fill(iso(to));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?from=${from}&to=${to}$`));
  await expect(page.getByTestId('top-table')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('top-row').first()).toHaveAttribute('data-value', String(expected[0]![1]));
  await expect(page.getByTestId('total-conn.count.resp')).toHaveAttribute('data-value', String(records.length));
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test('an IPv6 address has its own page with exact totals', async ({ page, browserErrors }) => {
  const [ip, count] = expected.find(([address]) => address.includes(':'))!;
  await page.goto(`/ip/${ip}?from=${from}&to=${to}`);
  await chartsDrawn(page);
  await expect(page.getByTestId('ip-heading')).toHaveText(ip);
  await expect(page.getByTestId('ip-total-conn.count.resp')).toHaveAttribute('data-value', String(count));
  await expect(page.getByTestId('chart-conn.count.resp').locator('canvas')).toHaveCount(1);
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test('three quick zoom presses read the summary once, for the last window, and the summary shows it', async ({ page, browserErrors }) => {
  const [ip] = expected[0]!;
  await page.goto(`/ip/${ip}?from=${from}&to=${to}&live=0`);
  await chartsDrawn(page);
  await expect(page.getByTestId('ip-summary')).toBeVisible();
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/summary?')) asked.push(r.url());
  });
  // Presses 100 ms apart, as fast as an analyst clicks: the charts follow each, the summary the last.
  await page.evaluate(`(async () => {
    for (let i = 0; i < 3; i++) {
      document.querySelector('[data-testid="zoom-in"]').click();
      await new Promise((r) => setTimeout(r, 100));
    }
  })()`);
  await expect(page).toHaveURL(/zoom=\d+-\d+/);
  const zoom = zoomOf(page.url())!;
  await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('ip-summary')).not.toHaveClass(/refreshing/, { timeout: 10_000 });
  expect(asked.length).toBe(1);
  const summaryRange = new URL(asked[0]!).searchParams;
  expect([Number(summaryRange.get('from')), Number(summaryRange.get('to'))]).toEqual([zoom.from, zoom.to]);
  expect(browserErrors).toEqual({ console: [], page: [] });
});
