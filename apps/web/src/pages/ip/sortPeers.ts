import type { Peer } from '@ipscope/api';

/** What the peers table is ordered by, largest first. */
export type PeersOrder = 'connections' | 'bytes';

const byAddress = (a: Peer, b: Peer): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0) || (a.direction === b.direction ? 0 : a.direction === 'out' ? -1 : 1);

/**
 * The peers in table order, a new array (the input is not changed): by connections or by bytes,
 * largest first, ties by the other figure, then by address with outgoing first. Peers whose
 * bytes are not recorded (`null`) come last when ordering by bytes.
 */
export function sortPeers(peers: readonly Peer[], order: PeersOrder): Peer[] {
  const bytes = (p: Peer): number => p.bytes ?? -1;
  return [...peers].sort((a, b) =>
    order === 'bytes' ? bytes(b) - bytes(a) || b.connections - a.connections || byAddress(a, b) : b.connections - a.connections || bytes(b) - bytes(a) || byAddress(a, b),
  );
}
