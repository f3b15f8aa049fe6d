import type { MetricSeries } from './series';

/**
 * CSV export of one IP's series on a shared time axis, shaped so that
 * `pandas.read_csv(url, index_col=0, parse_dates=True)` loads it as it is:
 *
 * - a header row: `timestamp`, then one column per numeric metric (`conn.count`) and one per
 *   histogram value (`conn.state[S0]`), histogram values ordered by their total, largest first;
 * - one row per bucket, oldest first, the timestamp in ISO-8601 UTC (`2024-05-01T12:00:00Z`);
 * - an empty cell where a numeric metric has no data (pandas reads NaN), 0 where a histogram
 *   bucket lacks a value;
 * - RFC 4180 quoting for any cell with a comma, quote or line break; `\r\n` line ends.
 */
export function seriesToCsv(series: readonly MetricSeries[]): string {
  const columns: Array<{ header: string; cell: (ts: number) => string }> = [];
  const times = new Set<number>();
  for (const s of series) {
    if (s.kind === 'number') {
      const byTime = new Map<number, number | null>();
      for (const [ts, value] of s.points) {
        byTime.set(ts, value);
        times.add(ts);
      }
      columns.push({ header: s.metric, cell: (ts) => formatNumber(byTime.get(ts) ?? null) });
    } else {
      const byTime = new Map<number, Record<string, number>>();
      const totals = new Map<string, number>();
      for (const [ts, histogram] of s.points) {
        byTime.set(ts, histogram);
        times.add(ts);
        for (const [value, count] of Object.entries(histogram)) totals.set(value, (totals.get(value) ?? 0) + count);
      }
      const values = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([v]) => v);
      for (const value of values) {
        columns.push({
          header: `${s.metric}[${value}]`,
          cell: (ts) => {
            const histogram = byTime.get(ts);
            return formatNumber(histogram && Object.hasOwn(histogram, value) ? histogram[value]! : 0);
          },
        });
      }
    }
  }
  const lines = [['timestamp', ...columns.map((c) => c.header)].map(quoteCell).join(',')];
  for (const ts of [...times].sort((a, b) => a - b)) {
    lines.push([isoSeconds(ts), ...columns.map((c) => c.cell(ts))].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `2024-05-01T12:00:00Z` for unix seconds. */
export function isoSeconds(ts: number): string {
  return new Date(ts * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function formatNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value);
}

function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
