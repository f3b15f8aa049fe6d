const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an ISO 8601 / RFC 3339 timestamp into unix seconds, keeping the
 * fraction to the microsecond (Date.parse would cut it to milliseconds).
 *
 * Accepts the shapes sensors print: `2017-04-07T22:24:37.251547+0100`
 * (Suricata, offset without colon), `2020-02-26T03:40:03.724911Z` (Zeek
 * `JSON::TS_ISO8601`), `+01:00` offsets and a space instead of `T`. Without a
 * zone the time is taken as UTC. Returns `undefined` for anything else,
 * including impossible dates such as February 30th.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay) return undefined;
  let offset = 0;
  if (m[9] !== undefined) {
    const hours = Number(m[10]);
    const minutes = m[11] === undefined ? 0 : Number(m[11]);
    if (hours > 23 || minutes > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  const whole = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  return whole + fraction - offset;
}

/**
 * Upper bound for a plausible unix time in seconds (year 5138). A larger
 * number is almost surely milliseconds or nanoseconds read with the wrong unit.
 */
export const MAX_EPOCH_SECONDS = 1e11;
