/** Most bins a logBins transform may make; keeps histograms small. */
export const MAX_LOG_BINS = 64;

/**
 * Edges `min·base^i`, from `min` up to the first edge ≥ `max`, rounded to 12
 * significant digits so that labels read `0.1`, not `0.10000000000000002`.
 */
export function logBinEdges(min: number, max: number, base: number): number[] {
  const edges: number[] = [];
  for (let i = 0; edges.length <= MAX_LOG_BINS; i++) {
    const edge = Number((min * base ** i).toPrecision(12));
    edges.push(edge);
    if (edge >= max) break;
  }
  return edges;
}

/**
 * Labels for the bins around `edges`: `<e0`, `e0-e1`, ..., `>=eN`, each with
 * `unit` appended (`<0.01s`, `0.01-0.1s`, ..., `>=10000s`).
 */
export function logBinLabels(edges: readonly number[], unit: string): string[] {
  const labels = [`<${edges[0]}${unit}`];
  for (let i = 0; i + 1 < edges.length; i++) labels.push(`${edges[i]}-${edges[i + 1]}${unit}`);
  labels.push(`>=${edges[edges.length - 1]}${unit}`);
  return labels;
}

/** How a bin is named: its range as text, or the number where it starts. */
export type LogBinLabels = 'range' | 'lowerEdge';

/**
 * A function that maps a number to its bin: a range label (`0.01-0.1s`) or,
 * with `labels: 'lowerEdge'`, the bin's lower edge (0 for values below
 * `min`). A value equal to an edge falls in the bin that starts there.
 */
export function logBinner(min: number, max: number, base = 10, unit = '', labels: LogBinLabels = 'range'): (value: number) => string | number {
  const edges = logBinEdges(min, max, base);
  const names: ReadonlyArray<string | number> = labels === 'range' ? logBinLabels(edges, unit) : [0, ...edges];
  const last = names[names.length - 1] ?? 0;
  return (value) => {
    for (let i = 0; i < edges.length; i++) {
      if (value < (edges[i] as number)) return names[i] as string | number;
    }
    return last;
  };
}
