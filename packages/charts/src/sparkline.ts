/**
 * An SVG path (`d` attribute) drawing `values` left to right in a `width` × `height` box,
 * zero at the bottom edge and the largest value at the top (less `pad` pixels each side);
 * missing values (null) sit at zero.
 * Tables draw dozens of these, so they are plain SVG rather than chart instances.
 */
export function sparklinePath(values: ReadonlyArray<number | null>, width: number, height: number, pad = 1): string {
  if (values.length === 0) return '';
  const max = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const usable = height - 2 * pad;
  const y = (v: number | null) => {
    const value = v !== null && Number.isFinite(v) ? Math.max(v, 0) : 0;
    return round(height - pad - (max > 0 ? (value / max) * usable : 0));
  };
  if (values.length === 1) return `M${round(pad)},${y(values[0]!)}H${round(width - pad)}`;
  const dx = (width - 2 * pad) / (values.length - 1);
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${round(pad + i * dx)},${y(v)}`).join('');
}

const round = (n: number) => Math.round(n * 10) / 10;
