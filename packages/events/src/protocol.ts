const BY_NUMBER: ReadonlyMap<number, string> = new Map([
  [1, 'icmp'],
  [2, 'igmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'icmp'],
  [132, 'sctp'],
]);

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['ipv6-icmp', 'icmp'],
  ['icmpv6', 'icmp'],
  ['icmp6', 'icmp'],
  ['unknown_transport', 'unknown'],
]);

const NAME = /^[a-z][a-z0-9_.-]{0,31}$/;

/**
 * Canonical transport protocol name: lower case, with ICMPv6 folded into
 * `icmp` as Zeek does, and IANA numbers (6, "17") turned into names.
 * Numbers without a well-known name become their decimal text (`"115"`).
 * Returns `undefined` when the value is neither a protocol number 0..255 nor
 * a short protocol name.
 */
export function canonicalProto(value: unknown): string | undefined {
  if (typeof value === 'number') return protoFromNumber(value);
  if (typeof value !== 'string') return undefined;
  if (/^\d{1,3}$/.test(value)) return protoFromNumber(Number(value));
  const lower = value.toLowerCase();
  const alias = ALIASES.get(lower);
  if (alias !== undefined) return alias;
  return NAME.test(lower) ? lower : undefined;
}

function protoFromNumber(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0 || value > 255) return undefined;
  return BY_NUMBER.get(value) ?? String(value);
}
