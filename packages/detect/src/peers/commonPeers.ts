import type { PeerActivity, PeerModel } from './peerModel';

/** One host's model and its peers in the bucket being scored. */
export interface HostPeers {
  model: PeerModel;
  peers: ReadonlyMap<string, PeerActivity>;
}

/**
 * The peers that at least `minHosts` hosts contacted in one bucket, among those some
 * host's model would look at (new to it, or followed: {@link PeerModel.unfamiliar}).
 * This is the peer prevalence RITA uses against beacons: a moved fleet service's new
 * server or a popular site is reached by many hosts at once, a C2 server or an
 * exfiltration drop by one. Memory: one count per such peer for the step, never more
 * than the step's own peer lists; nothing is kept between steps. Call it before any
 * host's {@link PeerModel.update} for the bucket and pass the result to each update.
 * With `minHosts` 0 it counts nothing and returns an empty set.
 */
export function commonPeers(ts: number, hosts: readonly HostPeers[], minHosts: number): Set<string> {
  const common = new Set<string>();
  if (minHosts <= 0) return common;
  const counts = new Map<string, number>();
  for (const h of hosts) h.model.unfamiliar(ts, h.peers, counts);
  if (counts.size === 0) return common;
  for (const h of hosts) {
    for (const [peer, a] of h.peers) {
      if (a.conns <= 0) continue;
      const n = counts.get(peer);
      if (n === undefined) continue;
      counts.set(peer, n + 1);
      if (n + 1 === minHosts) common.add(peer);
    }
  }
  return common;
}
