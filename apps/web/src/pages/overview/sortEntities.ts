import { ipFamily } from '@ipscope/api';
import type { SortKey } from '../../state/viewState';

/** Numeric order of an address (IPv4 before IPv6), so 10.0.0.9 sorts before 10.0.0.10. */
export function ipSortKey(ip: string): bigint {
  const family = ipFamily(ip);
  if (family === 4) return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  if (family === 6) {
    let text = ip;
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const n = ipSortKey(v4[1]!);
      text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head = '', tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return (1n << 128n) + groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
  }
  return 1n << 130n;
}

/** The rows in the requested order; ties keep address order. Pure: returns a new array. */
export function sortEntities<T extends { ip: string; value: number }>(items: readonly T[], sort: SortKey): T[] {
  const byIp = (a: T, b: T) => {
    const x = ipSortKey(a.ip);
    const y = ipSortKey(b.ip);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const sorted = [...items];
  switch (sort) {
    case '-value':
      return sorted.sort((a, b) => b.value - a.value || byIp(a, b));
    case 'value':
      return sorted.sort((a, b) => a.value - b.value || byIp(a, b));
    case 'ip':
      return sorted.sort(byIp);
    case '-ip':
      return sorted.sort((a, b) => byIp(b, a));
  }
}
