import { ipFamily, isIpv4 } from './ip';

/**
 * CIDR blocks as address bytes plus a prefix length, and membership tests for IPs.
 * Browser-safe (no Node built-ins), so the web app can use it to highlight matches.
 *
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is treated as the IPv4 address it carries, both for
 * IPs and for blocks with a prefix of at least 96 bits: the store keeps such hosts in IPv4
 * form, so `::ffff:10.0.0.0/104` and `10.0.0.0/8` select the same entities.
 */
export interface Cidr {
  family: 4 | 6;
  /** Network address bytes (4 or 16), host bits cleared. */
  bytes: Uint8Array;
  /** Prefix length in bits. */
  prefix: number;
}

/** Address bytes of an IPv4 or IPv6 text form, or undefined when it is not an IP address. */
export function ipBytes(text: string): Uint8Array | undefined {
  const family = ipFamily(text);
  if (family === 4) return ipv4Bytes(text);
  if (family === 6) return ipv6Bytes(text);
  return undefined;
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const halves = text.split('::');
  const words = (part: string | undefined): number[] => {
    if (!part) return [];
    const result: number[] = [];
    for (const group of part.split(':')) {
      if (isIpv4(group)) {
        const [a, b, c, d] = ipv4Bytes(group);
        result.push((a! << 8) | b!, (c! << 8) | d!);
      } else result.push(parseInt(group, 16));
    }
    return result;
  };
  const head = words(halves[0]);
  const tail = words(halves[1]);
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  all.forEach((word, i) => {
    out[i * 2] = word >> 8;
    out[i * 2 + 1] = word & 0xff;
  });
  return out;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function isV4Mapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && MAPPED_PREFIX.every((b, i) => bytes[i] === b);
}

/** Bytes of an IP in the form the store keys it by: IPv4-mapped IPv6 becomes 4 bytes. */
function entityBytes(text: string): Uint8Array | undefined {
  const bytes = ipBytes(text);
  return bytes && isV4Mapped(bytes) ? bytes.slice(12) : bytes;
}

/** Thrown by {@link parseCidr} with the reason the text is not a CIDR block. */
export class CidrSyntaxError extends Error {
  constructor(readonly input: string, reason: string) {
    super(reason);
    this.name = 'CidrSyntaxError';
  }
}

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address (a /32 or /128). Host bits set in
 * the address (`10.1.2.3/8`) are cleared, as routers do.
 */
export function parseCidr(text: string): Cidr {
  const [addr = '', bits, extra] = text.trim().split('/');
  if (extra !== undefined) throw new CidrSyntaxError(text, 'a CIDR block has one "/"');
  const raw = ipBytes(addr);
  if (!raw) throw new CidrSyntaxError(text, `"${addr}" is not an IPv4 or IPv6 address`);
  const max = raw.length * 8;
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)) {
    throw new CidrSyntaxError(text, `the prefix length must be 0 to ${max}`);
  }
  let bytes = raw;
  let prefix = bits === undefined ? max : Number(bits);
  if (isV4Mapped(raw) && prefix >= 96) {
    bytes = raw.slice(12);
    prefix -= 96;
  }
  return { family: bytes.length === 4 ? 4 : 6, bytes: maskBytes(bytes, prefix), prefix };
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/** True when `ip` lies inside `cidr`; false for an address of the other family or a non-address. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const bytes = entityBytes(ip);
  if (!bytes || bytes.length !== cidr.bytes.length) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (bytes[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[full]! & mask) === cidr.bytes[full];
}

/** Canonical text of a block: `10.0.0.0/8`, `2001:db8::/32` (RFC 5952 compression, lower case). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpBytes(cidr.bytes)}/${cidr.prefix}`;
}

/** RFC 5952 text of 4 or 16 address bytes. */
export function formatIpBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}
