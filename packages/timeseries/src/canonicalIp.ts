import { InvalidIpError } from './errors';

/**
 * Parses an IPv4 or IPv6 address and returns its canonical text, so one host never becomes two
 * series: IPv4 in dotted decimal without leading zeros; IPv6 in RFC 5952 form (lower case, no
 * leading zeros, the longest run of two or more zero groups written `::`); IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`) becomes the plain IPv4 address.
 *
 * @throws {InvalidIpError} with the reason when `text` is not an address (zone ids such as
 *   `fe80::1%eth0`, brackets, CIDR suffixes, whitespace and octal-looking octets are rejected).
 * @example canonicalIp('2001:DB8:0:0:0:0:0:1') === '2001:db8::1'
 */
export function canonicalIp(text: string): string {
  return formatIp(parseIp(text));
}

/**
 * The compact key form of an address: 8 hex digits for IPv4, 32 for IPv6. Used in Redis keys and
 * index members; sorting key forms as strings sorts IPv4 numerically (IPv6 among themselves too).
 */
export function ipKey(text: string): string {
  return toHex(parseIp(text));
}

/** Inverse of {@link ipKey}: canonical text of a key form. */
export function ipFromKey(key: string): string {
  if (!/^(?:[0-9a-f]{8}|[0-9a-f]{32})$/.test(key)) throw new InvalidIpError(key, 'not an address key (8 or 32 lower-case hex digits)');
  const bytes = new Uint8Array(key.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(key.slice(i * 2, i * 2 + 2), 16);
  return formatIp(bytes);
}

/** 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 bytes for IPv6. */
export function parseIp(text: string): Uint8Array {
  if (typeof text !== 'string') throw new InvalidIpError(String(text), `expected a string, got ${typeof text}`);
  if (text.length === 0) throw new InvalidIpError(text, 'empty');
  if (text.length > 45) throw new InvalidIpError(text.slice(0, 60), 'longer than any address (45 characters)');
  if (/\s/.test(text)) throw new InvalidIpError(text, 'contains whitespace');
  if (text.includes('%')) throw new InvalidIpError(text, 'zone ids (%...) are not accepted; strip the zone');
  if (text.includes('/')) throw new InvalidIpError(text, 'a CIDR prefix is not an address');
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    if (isV4Mapped(bytes)) return bytes.slice(12);
    return bytes;
  }
  const v4 = parseIpv4(text);
  if (!v4.ok) throw new InvalidIpError(text, v4.reason);
  return v4.bytes;
}

type V4Result = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

function parseIpv4(text: string): V4Result {
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, reason: `IPv4 needs 4 dot-separated numbers, found ${parts.length}` };
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return { ok: false, reason: `octet ${i + 1} ${JSON.stringify(part)} is not a decimal number` };
    if (part.length > 1 && part.startsWith('0')) return { ok: false, reason: `octet ${i + 1} ${JSON.stringify(part)} has a leading zero (ambiguous octal)` };
    const n = Number(part);
    if (n > 255) return { ok: false, reason: `octet ${i + 1} is ${n}, above 255` };
    bytes[i] = n;
  }
  return { ok: true, bytes };
}

function parseGroups(part: string, text: string, allowV4Tail: boolean): number[] {
  if (part === '') return [];
  const fields = part.split(':');
  const groups: number[] = [];
  fields.forEach((field, i) => {
    if (allowV4Tail && i === fields.length - 1 && field.includes('.')) {
      const v4 = parseIpv4(field);
      if (!v4.ok) throw new InvalidIpError(text, `embedded IPv4 ${JSON.stringify(field)}: ${v4.reason}`);
      const b = v4.bytes;
      groups.push(((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number));
      return;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(field)) {
      throw new InvalidIpError(text, field === '' ? 'empty group (stray colon)' : `group ${JSON.stringify(field)} is not 1 to 4 hex digits`);
    }
    groups.push(parseInt(field, 16));
  });
  return groups;
}

function parseIpv6(text: string): Uint8Array {
  const halves = text.split('::');
  if (halves.length > 2) throw new InvalidIpError(text, '"::" may appear only once');
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, text, false);
    const tail = parseGroups(halves[1] as string, text, true);
    const missing = 8 - head.length - tail.length;
    if (missing < 1) throw new InvalidIpError(text, '"::" must stand for at least one zero group, but 8 groups are already present');
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = parseGroups(text, text, true);
    if (groups.length !== 8) throw new InvalidIpError(text, `IPv6 needs 8 groups (or "::"), found ${groups.length}`);
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
