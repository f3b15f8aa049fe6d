import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, expect, test } from './support/fixtures';

const { records } = e2eDataset(e2eRun());
const expected = expectedResponders(records);

test('the overview shows exactly the connections sent through Kafka, without console errors', async ({ page, browserErrors }) => {
  const [busiestIp, busiestCount] = expected[0]!;
  await page.goto('/');
  const firstRow = page.getByTestId('top-row').first();
  // Ingest runs in the background; live updates refresh the table until every record is counted.
  await expect(firstRow).toHaveAttribute('data-ip', busiestIp, { timeout: 45_000 });
  await expect(firstRow).toHaveAttribute('data-value', String(busiestCount), { timeout: 45_000 });
  await expect(page.getByTestId('top-row')).toHaveCount(Math.min(25, expected.length));
  const rows = page.getByTestId('top-row');
  for (let i = 0; i < Math.min(25, expected.length); i++) {
    await expect(rows.nth(i)).toHaveAttribute('data-value', String(expected[i]![1]));
  }
  await expect(page.getByTestId('total-conn.count.resp')).toHaveAttribute('data-value', String(records.length));
  await expect(page.getByTestId('total-conn.count.orig')).toHaveAttribute('data-value', String(records.length));
  await expect(page.getByTestId('alert-feed-row')).toHaveCount(1);
  await expect(page.getByTestId('alert-feed-row')).toContainText(busiestIp);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('overview.png') });

  await firstRow.getByRole('link', { name: busiestIp }).click();
  await expect(page).toHaveURL(new RegExp(`/ip/${busiestIp.replace(/\./g, '\\.')}$`));
  await chartsDrawn(page);
  await expect(page.getByTestId('ip-total-conn.count.resp')).toHaveAttribute('data-value', String(busiestCount));
  await page.screenshot({ path: test.info().outputPath('ip.png') });
  expect(browserErrors).toEqual({ console: [], page: [] });
});
