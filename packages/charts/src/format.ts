const SI = [
  { at: 1e12, suffix: 'T' },
  { at: 1e9, suffix: 'G' },
  { at: 1e6, suffix: 'M' },
  { at: 1e3, suffix: 'k' },
] as const;

/** Whether a unit measures bytes, whose large values read better as kB/MB/GB. */
export function isByteUnit(unit: string): boolean {
  return /\bbytes?\b/i.test(unit);
}

/**
 * Short form for axis labels and cards: `1.2k`, `3.4M`; bytes as `1.2 MB` (decimal units,
 * as network tools report them). Values below 1000 keep up to two decimals.
 */
export function formatCompact(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  for (const { at, suffix } of SI) {
    if (abs >= at) {
      const scaled = value / at;
      const text = `${Number(scaled.toFixed(abs >= at * 100 ? 0 : 1))}`;
      return isByteUnit(unit) ? `${text} ${suffix === 'k' ? 'k' : suffix}B` : `${text}${suffix}`;
    }
  }
  const plain = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  return isByteUnit(unit) ? `${plain} B` : plain;
}

// One formatter for every call: `toLocaleString` with options builds a new one each time (tens of
// microseconds each, and a page formats hundreds of numbers while it first draws).
// Made on first use: a module-level side effect would change how the build splits chunks.
let exact: Intl.NumberFormat | undefined;

/** Full form for tables and tooltips: thousands separators, at most two decimals. */
export function formatExact(value: number): string {
  if (!Number.isFinite(value)) return '–';
  exact ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return exact.format(value);
}

/** `2024-05-01 12:34 UTC` (seconds shown only when not zero). Analysts paste these into tickets, so always UTC. */
export function formatUtc(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`} UTC`;
}

/** Escapes text for the HTML that ECharts tooltips render. Alert explanations come from the server and may hold anything. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
