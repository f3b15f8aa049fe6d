import { sparklinePath } from '@ipscope/charts';

/** A tiny trend line for a table cell. */
export function Sparkline({ values, label, width = 120, height = 24 }: { values: ReadonlyArray<number | null>; label: string; width?: number; height?: number }) {
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <path d={sparklinePath(values, width, height, 2)} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
