/** A parsed CSV timestamp: seconds, and whether it is calendar time (epoch) or a plain index. */
export interface ParsedTimestamp {
  seconds: number;
  calendar: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAIVE_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/**
 * Parses the timestamps analysts export: ISO 8601 dates and date-times (a date-time
 * without a zone is UTC, as pandas writes it), epoch seconds (≥ 1e8), epoch
 * milliseconds (≥ 1e11), or a plain index such as 1, 2, 3 (no calendar: rhythm is
 * not learned from it). Returns undefined when the text is none of these.
 */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (NUMBER.test(t)) {
    const n = Number(t);
    if (!Number.isFinite(n)) return undefined;
    if (Math.abs(n) >= 1e11) return { seconds: n / 1000, calendar: true };
    if (Math.abs(n) >= 1e8) return { seconds: n, calendar: true };
    return { seconds: n, calendar: false };
  }
  const naive = NAIVE_DATETIME.exec(t);
  const ms = naive ? Date.parse(`${naive[1]}T${naive[2]}Z`) : /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : Number.NaN;
  if (!Number.isFinite(ms)) return undefined;
  return { seconds: ms / 1000, calendar: true };
}
