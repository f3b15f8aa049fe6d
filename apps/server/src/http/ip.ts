import net from 'node:net';

/** True for a syntactically valid IPv4 or IPv6 address (no zone, no prefix). */
export function isIp(text: string): boolean {
  return net.isIP(text) !== 0;
}
