import { expect, test } from '@playwright/test';
import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';

const expected = expectedResponders(e2eDataset(e2eRun()).records);

test('the busiest IPs and a chart show exactly the connections sent through Kafka', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));

  const [busiestIp, busiestCount] = expected[0]!;
  await page.goto('/');
  const firstRow = page.getByTestId('top-row').first();
  // Ingest runs in the background; the table polls until every record is counted.
  await expect(firstRow).toContainText(busiestIp, { timeout: 45_000 });
  await expect(firstRow).toContainText(busiestCount.toLocaleString('en-US'), { timeout: 45_000 });
  await expect(page.getByTestId('top-row')).toHaveCount(Math.min(25, expected.length));

  await firstRow.getByRole('button', { name: busiestIp }).click();
  const panel = page.getByTestId('series-panel');
  await expect(panel).toHaveAttribute('data-ip', busiestIp);
  await expect(panel).toHaveAttribute('data-total', String(busiestCount));
  const chart = page.getByTestId('series-chart');
  await expect(chart).toHaveAttribute('aria-label', new RegExp(busiestIp.replace(/\./g, '\\.')));
  await expect(chart.locator('canvas')).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`\\?ip=${encodeURIComponent(busiestIp)}`));
  await page.screenshot({ path: test.info().outputPath('overview.png') });
  expect(errors).toEqual([]);
});
