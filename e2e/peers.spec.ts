import type { ZeekConnRecord } from '@ipscope/testkit';
import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, expect, test } from './support/fixtures';

const { records, from, to } = e2eDataset(e2eRun());
const [busiestIp] = expectedResponders(records)[0]!;

interface PeerFigures {
  ip: string;
  direction: 'in' | 'out';
  connections: number;
  bytes: number;
}

/** Connections and bytes (both directions, as sent) per peer of `ip`, in the table's default order. */
function peersOf(ip: string, sent: readonly ZeekConnRecord[]): PeerFigures[] {
  const by = new Map<string, PeerFigures>();
  for (const r of sent) {
    const bytes = (r.orig_bytes ?? 0) + (r.resp_bytes ?? 0);
    const sides: Array<['in' | 'out', string]> = [];
    if (r['id.orig_h'] === ip) sides.push(['out', r['id.resp_h']]);
    if (r['id.resp_h'] === ip) sides.push(['in', r['id.orig_h']]);
    for (const [direction, peer] of sides) {
      const p = by.get(`${direction} ${peer}`) ?? { ip: peer, direction, connections: 0, bytes: 0 };
      p.connections++;
      p.bytes += bytes;
      by.set(`${direction} ${peer}`, p);
    }
  }
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...by.values()].sort((a, b) => b.connections - a.connections || order(a.ip, b.ip) || order(b.direction, a.direction));
}

test('peers table: connections and bytes per peer as sent through Kafka, reorderable by bytes', async ({ page, browserErrors }) => {
  // The summary's 25 busiest peers; the table breaks ties in connections by bytes, then address.
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const expected = peersOf(busiestIp, records)
    .slice(0, 25)
    .sort((a, b) => b.connections - a.connections || b.bytes - a.bytes || order(a.ip, b.ip) || order(b.direction, a.direction));
  expect(expected.some((p) => p.bytes > 0)).toBe(true);
  await page.goto(`/ip/${busiestIp}?from=${from}&to=${to}`);
  await chartsDrawn(page);
  const rows = page.getByTestId('peer-row');
  await expect(rows.first()).toHaveAttribute('data-ip', expected[0]!.ip);
  const shown = await rows.evaluateAll((els) =>
    els.map((e) => ({ ip: e.getAttribute('data-ip') ?? '', direction: e.getAttribute('data-direction') ?? '', connections: Number(e.getAttribute('data-connections')), bytes: Number(e.getAttribute('data-bytes')) })),
  );
  expect(shown).toEqual(expected);
  // The cell shows a short figure; its title holds the exact byte count.
  const top = expected[0]!;
  const cell = rows.first().getByTestId('peer-bytes');
  await expect(cell).toHaveAttribute('title', `${top.bytes.toLocaleString('en-US')} bytes`);

  // Ordered by bytes: the 25 heaviest peers of all (asked from the server), not only of the busiest.
  await page.getByTestId('peers-sort-bytes').click();
  const heaviest = peersOf(busiestIp, records)
    .sort((a, b) => b.bytes - a.bytes || b.connections - a.connections || order(a.ip, b.ip) || order(b.direction, a.direction))
    .slice(0, 25);
  await expect(rows.first()).toHaveAttribute('data-bytes', String(heaviest[0]!.bytes));
  await expect(page.getByRole('columnheader', { name: /Bytes/ })).toHaveAttribute('aria-sort', 'descending');
  await expect
    .poll(() => rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-ip')} ${e.getAttribute('data-direction')} ${e.getAttribute('data-connections')} ${e.getAttribute('data-bytes')}`)))
    .toEqual(heaviest.map((p) => `${p.ip} ${p.direction} ${p.connections} ${p.bytes}`));
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test('the peer histograms feed the table, never a chart, on the half-hour interval too', async ({ page, browserErrors, catalog }) => {
  const peerMetrics = catalog.filter((m) => m.name.startsWith('conn.peer.')).map((m) => m.name);
  expect(peerMetrics.sort()).toEqual(['conn.peer.orig', 'conn.peer.orig.bytes', 'conn.peer.resp', 'conn.peer.resp.bytes']);
  await page.goto(`/ip/${busiestIp}?from=${from}&to=${to}&interval=months`);
  await chartsDrawn(page);
  const metrics = await page.locator('[data-testid="metric-chart"], [data-testid="empty-metrics"] [data-metric]').evaluateAll((els) => els.map((e) => e.getAttribute('data-metric') ?? ''));
  expect(metrics).toContain('conn.count.resp');
  expect(metrics.filter((m) => m.startsWith('conn.peer.'))).toEqual([]);
  await expect(page.getByTestId('peer-row').first()).toBeVisible();
  expect(browserErrors).toEqual({ console: [], page: [] });
});
