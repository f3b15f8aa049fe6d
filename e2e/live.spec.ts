import { connectProducer, ensureServices, publishRecords, ZeekConnGenerator, type ZeekConnRecord } from '@ipscope/testkit';
import { e2eRun, e2eTopic } from './support/dataset';
import { expect, test } from './support/fixtures';

// An address the dataset never uses, so these records change nothing the other specs count.
const ip = '10.77.0.1';

async function publishFor(count: number): Promise<void> {
  const now = Date.now() / 1000;
  const generator = new ZeekConnGenerator({ seed: 7 });
  const records: ZeekConnRecord[] = Array.from({ length: count }, () => ({ ...generator.record(now), 'id.resp_h': ip }));
  const { kafkaBrokers } = await ensureServices();
  const producer = await connectProducer(kafkaBrokers, 'ipscope-e2e-live');
  try {
    expect(await publishRecords(producer, e2eTopic(e2eRun()), records)).toBe(count);
  } finally {
    await producer.disconnect();
  }
}

test('live mode: new events appear without a reload; paused, nothing moves until resumed', async ({ page, browserErrors }) => {
  test.setTimeout(180_000);
  await page.goto(`/ip/${ip}`);
  await expect(page.getByTestId('ip-empty')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  const total = page.getByTestId('ip-total-conn.count.resp');

  // The server's stream announces the newly filled bucket; the page refreshes itself.
  await publishFor(30);
  await expect(total).toHaveAttribute('data-value', '30', { timeout: 30_000 });

  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-status')).toHaveText('Paused');
  // Publish in the next minute, so the stream would announce a new bucket if the page listened.
  const toNextMinute = 60_000 - (Date.now() % 60_000) + 1000;
  await page.waitForTimeout(toNextMinute);
  await publishFor(20);
  // Long enough for ingest (batches within a second) and the stream (polled every second) to have delivered.
  await page.waitForTimeout(6000);
  await expect(total).toHaveAttribute('data-value', '30');

  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(total).toHaveAttribute('data-value', '50', { timeout: 30_000 });
  expect(browserErrors).toEqual({ console: [], page: [] });
});
