/**
 * Returns the canonical text form of an IPv4 or IPv6 address, or `undefined`
 * when `text` is not one.
 *
 * - IPv4: dotted quad, each part 0..255 in decimal without leading zeros
 *   (like `inet_pton`, which rejects `010.0.0.1` as ambiguous).
 * - IPv6: RFC 5952 form: lower case, leading zeros dropped, the longest run
 *   (first on a tie) of two or more zero groups written `::`. Input may be
 *   expanded, compressed, mixed case or end in a dotted quad.
 * - IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) becomes the IPv4
 *   address, so one host has one series whatever the sensor printed.
 * - A zone suffix (`fe80::1%eth0`) is dropped: series are per address.
 */
export function canonicalIp(text: string): string | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  if (text.indexOf(':') === -1) return isIpv4(text) ? text : undefined;
  const groups = parseIpv6(text);
  if (groups === undefined) return undefined;
  return formatIpv6(groups);
}

/** True when `text` is a dotted-quad IPv4 address already in canonical form. */
function isIpv4(text: string): boolean {
  return parseIpv4(text, 0, text.length) !== -1;
}

/** Parses a dotted quad in `text[start, end)`; returns the 32-bit value or -1. */
function parseIpv4(text: string, start: number, end: number): number {
  let parts = 0;
  let value = 0;
  let digits = 0;
  let part = 0;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : 46; // a virtual '.' closes the last part
    if (code >= 48 && code <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero
      part = part * 10 + (code - 48);
      digits++;
      if (part > 255) return -1;
    } else if (code === 46) {
      if (digits === 0) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
      if (parts > 4) return -1;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

/** Parses IPv6 text into 8 16-bit groups, or `undefined`. */
function parseIpv6(raw: string): number[] | undefined {
  let text = raw;
  const zone = text.indexOf('%');
  if (zone !== -1) {
    if (zone === text.length - 1) return undefined;
    text = text.slice(0, zone);
  }
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return undefined;
  const head = gap === -1 ? text : text.slice(0, gap);
  const tail = gap === -1 ? '' : text.slice(gap + 2);
  const headGroups = parseGroups(head, gap === -1 || tail.length === 0);
  if (headGroups === undefined) return undefined;
  const tailGroups = gap === -1 ? [] : parseGroups(tail, true);
  if (tailGroups === undefined) return undefined;
  const count = headGroups.length + tailGroups.length;
  if (gap === -1) return count === 8 ? headGroups : undefined;
  if (count > 7) return undefined;
  const groups = headGroups.slice();
  for (let i = count; i < 8; i++) groups.push(0);
  for (let i = 0; i < tailGroups.length; i++) groups[8 - tailGroups.length + i] = tailGroups[i] ?? 0;
  return groups;
}

/**
 * Parses colon-separated hex groups. When `allowIpv4Tail`, the last part may be
 * a dotted quad that stands for two groups. An empty string is zero groups.
 */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text.length === 0) return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === parts.length - 1 && allowIpv4Tail && part.indexOf('.') !== -1) {
      const v4 = parseIpv4(part, 0, part.length);
      if (v4 === -1) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      continue;
    }
    if (part.length === 0 || part.length > 4) return undefined;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const digit = hexDigit(part.charCodeAt(j));
      if (digit === -1) return undefined;
      value = value * 16 + digit;
    }
    groups.push(value);
  }
  return groups;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function formatIpv6(groups: number[]): string {
  const at = (i: number): number => groups[i] ?? 0;
  if (at(0) === 0 && at(1) === 0 && at(2) === 0 && at(3) === 0 && at(4) === 0 && at(5) === 0xffff) {
    return `${at(6) >> 8}.${at(6) & 255}.${at(7) >> 8}.${at(7) & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1; // RFC 5952: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (at(i) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && at(j) === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.map((g) => g.toString(16)).join(':');
  const left = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const right = groups.slice(bestStart + bestLength).map((g) => g.toString(16)).join(':');
  return `${left}::${right}`;
}
