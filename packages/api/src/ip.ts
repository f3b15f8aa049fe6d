/**
 * IP address syntax, shared by server and browser (no Node built-ins).
 * Accepts dotted-quad IPv4 and RFC 4291 IPv6 text forms (with `::` compression and an
 * embedded IPv4 tail); rejects zone indexes and prefix lengths.
 */
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let width = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return false;
      width += 2;
    } else if (HEXTET.test(g)) width += 1;
    else return false;
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

/** 4, 6, or 0 when the text is not an IP address. */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (isIpv4(text)) return 4;
  if (isIpv6(text)) return 6;
  return 0;
}

/** Why `text` is not a valid IP or CIDR, or undefined when it is one (for inputs that validate as you type). */
export function ipOrCidrProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'enter an IPv4 or IPv6 address, or a CIDR block';
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined) return 'a CIDR block has one "/"';
  const family = ipFamily(addr ?? '');
  if (family === 0) return `"${addr}" is not an IPv4 or IPv6 address`;
  if (bits === undefined) return undefined;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) {
    return `the prefix length must be 0 to ${family === 4 ? 32 : 128}`;
  }
  return undefined;
}
