/** A parsed CSV timestamp: seconds, and whether it is calendar time (epoch) or a plain index. */
export interface ParsedTimestamp {
  seconds: number;
  calendar: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAIVE_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;
/** `2014/02/14 14:30[:00]` (year first) and `02/14/2014 14:30[:00]` (US month/day/year). */
const SLASHED = /^(\d{1,4})\/(\d{1,2})\/(\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$/;

/**
 * Parses the timestamps analysts export: ISO 8601 dates and date-times (a date-time
 * without a zone is UTC, as pandas writes it; `2014-02-14 14:30:00` as NAB writes it),
 * `YYYY/MM/DD[ HH:MM[:SS]]` and `MM/DD/YYYY[ HH:MM[:SS]]` (spreadsheet exports, UTC),
 * epoch seconds (≥ 1e8, fractions allowed), epoch milliseconds (≥ 1e11), or a plain
 * index such as 1, 2, 3 (no calendar: rhythm is not learned from it). Returns
 * undefined when the text is none of these (including impossible dates such as
 * month 13).
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
  const slashed = SLASHED.exec(t);
  if (slashed) return slashedTimestamp(slashed);
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (!date) return undefined;
  const naive = NAIVE_DATETIME.exec(t);
  const ms = naive ? Date.parse(`${naive[1]}T${naive[2]}Z`) : Date.parse(t);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse takes 2014-02-31 as 3 March; such a date is not one.
  if (!realDay(Number(date[1]), Number(date[2]), Number(date[3]))) return undefined;
  return { seconds: ms / 1000, calendar: true };
}

function slashedTimestamp(m: RegExpExecArray): ParsedTimestamp | undefined {
  const [a, b, c] = [m[1] as string, m[2] as string, m[3] as string];
  const yearFirst = a.length === 4;
  if (!yearFirst && c.length !== 4) return undefined;
  const year = Number(yearFirst ? a : c);
  const month = Number(yearFirst ? b : a);
  const day = Number(yearFirst ? c : b);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second >= 61 || !realDay(year, month, day)) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute) + second * 1000;
  return { seconds: ms / 1000, calendar: true };
}

/** True when day exists in that month (no 31 April, 29 February only in leap years). */
function realDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}
