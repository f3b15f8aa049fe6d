/** A duration: whole seconds, or a string such as `45s`, `1m`, `30m`, `1h`, `2d`, `1w`. */
export type Duration = number | string;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Seconds of a {@link Duration}, or an explanation of why it is not one. `m` is minutes (not
 * months as in kairos); only whole, positive seconds are accepted because buckets are aligned to
 * whole seconds.
 */
export function parseDuration(value: unknown): { ok: true; seconds: number } | { ok: false; reason: string } {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0) return { ok: false, reason: `must be a positive whole number of seconds, got ${value}` };
    return { ok: true, seconds: value };
  }
  if (typeof value === 'string') {
    const m = /^(\d{1,9})([smhdw])?$/.exec(value);
    if (!m) return { ok: false, reason: `${JSON.stringify(value)} is not a duration; use seconds or a number with s, m, h, d or w, like "30m"` };
    const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
    if (seconds <= 0) return { ok: false, reason: `${JSON.stringify(value)} is zero; a duration must be positive` };
    return { ok: true, seconds };
  }
  return { ok: false, reason: `must be seconds or a string like "1m", got ${typeof value}` };
}
