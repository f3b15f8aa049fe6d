import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { expect, test } from './support/fixtures';

const [busiestIp] = expectedResponders(e2eDataset(e2eRun()).records)[0]!;

test('the search box explains an invalid IP or CIDR as it is typed and does not navigate', async ({ page, browserErrors }) => {
  await page.goto('/');
  const input = page.getByTestId('search-input');
  const problem = page.getByTestId('search-problem');
  await input.fill('10.0.0.300');
  await expect(problem).toHaveText('"10.0.0.300" is not an IPv4 or IPv6 address');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Go' })).toBeDisabled();
  await input.press('Enter');
  await expect(page).toHaveURL(/\/$/);
  await input.fill('10.0.0.0/40');
  await expect(problem).toHaveText('the prefix length must be 0 to 32');
  await input.fill('2001:db8::/129');
  await expect(problem).toHaveText('the prefix length must be 0 to 128');
  // Fixing the input clears the message; a CIDR filters the overview, an IP opens its page.
  await input.fill('10.0.0.0/24');
  await expect(problem).toHaveText('');
  await input.press('Enter');
  await expect(page).toHaveURL(/\?cidr=10\.0\.0\.0\/24$/);
  // The table shows the filtered answer (the server names the block it applied), not the previous one.
  await expect(page.getByTestId('top-table')).toHaveAttribute('data-cidr', '10.0.0.0/24', { timeout: 30_000 });
  await expect(page.getByTestId('top-table')).toHaveAttribute('aria-busy', 'false');
  for (const ip of await page.getByTestId('top-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ip')))) {
    expect(ip).toMatch(/^10\.0\.0\.\d+$/);
  }
  await input.fill(busiestIp);
  await input.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/ip/${busiestIp.replace(/\./g, '\\.')}`));
  // Both searches are remembered, newest first.
  await expect(page.getByTestId('recent-searches').locator('option')).toHaveCount(2);
  await expect(page.getByTestId('recent-searches').locator('option').first()).toHaveAttribute('value', busiestIp);
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test.describe('an invalid address in the URL gets a clear message, not a crash', () => {
  for (const bad of ['10.0.0.300', 'not-an-ip', '2001:db8::zz', '10.0.0.1%2F8']) {
    test(`/ip/${bad}`, async ({ page, browserErrors }) => {
      await page.goto(`/ip/${bad}`);
      const message = page.getByTestId('bad-ip');
      await expect(message).toContainText('is not a valid IPv4 or IPv6 address');
      await expect(message).toContainText(decodeURIComponent(bad));
      await expect(message.getByRole('link', { name: 'Back to the overview' })).toBeVisible();
      await expect(page.getByTestId('search-input')).toBeVisible();
      expect(browserErrors.page).toEqual([]);
      // No API call is made for an address that is not one.
      expect(browserErrors.console).toEqual([]);
    });
  }
});

test('bad view parameters are reported and replaced by defaults; the page still works', async ({ page, browserErrors }) => {
  await page.goto('/?range=2d&cidr=10.0.0.0/99&sort=size');
  const problems = page.getByTestId('view-problems');
  await expect(problems).toContainText('range');
  await expect(problems).toContainText('"2d" must be one of 1h, 24h, 7d, 12w');
  await expect(problems).toContainText('the prefix length must be 0 to 32');
  await expect(problems).toContainText('sort');
  await expect(page.getByTestId('top-row').first()).toHaveAttribute('data-ip', busiestIp, { timeout: 30_000 });
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test('an API error shows what failed and why, with a retry, and the rest of the page keeps working', async ({ page, browserErrors }) => {
  await page.goto(`/ip/${busiestIp}?metrics=no.such.metric`);
  const error = page.getByTestId('error-state').filter({ hasText: 'series' });
  await expect(error).toContainText(`Could not load the series of ${busiestIp}`);
  await expect(error).toContainText('no.such.metric');
  await expect(error).toContainText('metrics');
  await expect(error.getByRole('button', { name: 'Retry' })).toBeVisible();
  // The summary above the charts still loaded.
  await expect(page.getByTestId('ip-summary')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('api-error.png') });
  expect(browserErrors.page).toEqual([]);
  // The browser itself logs the failed request (HTTP 400); nothing else may be logged.
  expect(browserErrors.console.every((text) => /status of 400/.test(text))).toBe(true);
});
