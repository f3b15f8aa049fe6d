import { formatExact, formatUtc } from './format';

/** A summary of numeric points for screen readers: count, span, total and peak. */
export function describeNumbers(title: string, unit: string, all: ReadonlyArray<readonly [number, number | null]>): string {
  const points = all.filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length === 0) return `${title}: no data in this range.`;
  let total = 0;
  let peak = points[0]!;
  for (const p of points) {
    total += p[1];
    if (p[1] > peak[1]) peak = p;
  }
  const first = points[0]![0];
  const last = points[points.length - 1]![0];
  return (
    `${title}, in ${unit}: ${points.length} points from ${formatUtc(first)} to ${formatUtc(last)}; ` +
    `total ${formatExact(total)}, peak ${formatExact(peak[1])} at ${formatUtc(peak[0])}.`
  );
}

/** A summary of a histogram for screen readers: its largest values and their shares. */
export function describeHistogram(title: string, unit: string, totals: ReadonlyArray<readonly [string, number]>, points: number): string {
  if (points === 0 || totals.length === 0) return `${title}: no data in this range.`;
  const sum = totals.reduce((s, [, n]) => s + n, 0);
  const top = totals
    .slice(0, 5)
    .map(([name, n]) => `${name} ${formatExact(n)} (${sum > 0 ? Math.round((n / sum) * 100) : 0}%)`)
    .join(', ');
  return `${title}, in ${unit}: ${points} points, ${formatExact(sum)} in all; largest values: ${top}.`;
}
