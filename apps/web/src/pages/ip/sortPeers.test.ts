import { describe, expect, it } from 'vitest';
import type { Peer } from '@ipscope/api';
import { sortPeers } from './sortPeers';

const peer = (ip: string, direction: Peer['direction'], connections: number, bytes: number | null): Peer => ({ ip, direction, connections, bytes });

describe('sortPeers', () => {
  const peers = [peer('10.0.0.2', 'out', 9, 100), peer('10.0.0.3', 'in', 2, 50_000), peer('10.0.0.1', 'in', 9, 100), peer('10.0.0.1', 'out', 9, 100), peer('10.0.0.4', 'out', 1, null)];

  it('orders by connections, then bytes, then address with outgoing first', () => {
    expect(sortPeers(peers, 'connections').map((p) => `${p.ip} ${p.direction}`)).toEqual(['10.0.0.1 out', '10.0.0.1 in', '10.0.0.2 out', '10.0.0.3 in', '10.0.0.4 out']);
  });

  it('orders by bytes, largest first, unrecorded bytes last', () => {
    expect(sortPeers(peers, 'bytes').map((p) => `${p.ip} ${p.direction}`)).toEqual(['10.0.0.3 in', '10.0.0.1 out', '10.0.0.1 in', '10.0.0.2 out', '10.0.0.4 out']);
  });

  it('does not change its input', () => {
    const before = peers.map((p) => ({ ...p }));
    sortPeers(peers, 'bytes');
    expect(peers).toEqual(before);
  });
});
