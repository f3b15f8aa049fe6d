import { describe, expect, it } from 'vitest';
import { MONDAY } from '../testing/seededRandom';
import { commonPeers } from './commonPeers';
import { PeerModel, resolvePeerModelOptions } from './peerModel';
import type { PeerActivity } from './peerModel';

const STEP = 1800;
const options = resolvePeerModelOptions({ step: STEP });

function bucket(entries: [string, number][]): Map<string, PeerActivity> {
  return new Map(entries.map(([peer, conns]) => [peer, { conns, bytes: conns * 500 }]));
}

/** Three hosts that have each talked to their own server and to the shared 10.9.9.9 for a day. */
function settledHosts(): PeerModel[] {
  const models = [0, 1, 2].map(() => PeerModel.create(options));
  for (let i = 0; i < 48; i++) {
    models.forEach((m, h) => m.update(MONDAY + i * STEP, bucket([[`10.0.0.${h}`, 5], ['10.9.9.9', 2]])));
  }
  return models;
}

describe('commonPeers', () => {
  it('names the new peers two or more hosts reached in the bucket, counting hosts that already know them', () => {
    const models = settledHosts();
    const ts = MONDAY + 48 * STEP;
    // 203.0.113.1: new for hosts 0 and 1 (a moved service); 203.0.113.2: new for host 2 only;
    // 10.0.0.0: host 0's usual server, new for host 1, so reached by two hosts.
    const hosts = [
      { model: models[0]!, peers: bucket([['10.0.0.0', 5], ['203.0.113.1', 6]]) },
      { model: models[1]!, peers: bucket([['10.0.0.1', 5], ['203.0.113.1', 6], ['10.0.0.0', 1]]) },
      { model: models[2]!, peers: bucket([['10.0.0.2', 5], ['203.0.113.2', 6], ['203.0.113.3', 0]]) },
    ];
    expect([...commonPeers(ts, hosts, 2)].sort()).toEqual(['10.0.0.0', '203.0.113.1']);
    expect([...commonPeers(ts, hosts, 3)]).toEqual([]);
    expect(commonPeers(ts, hosts, 0).size).toBe(0);
  });

  it('keeps a peer that several hosts reach from being followed, and one that a single host reaches followed', () => {
    const models = settledHosts();
    for (let i = 48; i < 56; i++) {
      const ts = MONDAY + i * STEP;
      const hosts = models.map((model, h) => ({
        model,
        peers: bucket([[`10.0.0.${h}`, 5], ...(h < 2 ? ([['198.51.100.5', 6]] as [string, number][]) : []), ...(h === 2 ? ([['203.0.113.9', 6]] as [string, number][]) : [])]),
      }));
      const common = commonPeers(ts, hosts, options.commonHosts);
      for (const { model, peers } of hosts) model.update(ts, peers, undefined, common);
    }
    expect(models[0]!.candidates.map((c) => c.peer)).toEqual([]);
    expect(models[1]!.candidates.map((c) => c.peer)).toEqual([]);
    expect(models[2]!.candidates.map((c) => c.peer)).toEqual(['203.0.113.9']);
    expect(models[2]!.candidates[0]!.beaconLevel).toBe(8);
  });

  it('ends a followed run when its peer becomes common', () => {
    const models = settledHosts();
    const seen = (i: number, withOthers: boolean) => {
      const ts = MONDAY + i * STEP;
      const hosts = models.map((model, h) => ({ model, peers: bucket([[`10.0.0.${h}`, 5], ...(h === 0 || withOthers ? ([['198.51.100.7', 3]] as [string, number][]) : [])]) }));
      const common = commonPeers(ts, hosts, 2);
      for (const { model, peers } of hosts) model.update(ts, peers, undefined, common);
    };
    seen(48, false);
    seen(49, false);
    expect(models[0]!.candidates[0]?.beaconLevel).toBe(2);
    const before = models[0]!.beacon.counts[1] as number;
    // The other hosts follow a bucket later (their cached DNS answer expired): the peer is common now.
    seen(50, true);
    expect(models[0]!.candidates).toEqual([]);
    expect(models[0]!.beacon.counts[1] as number).toBeCloseTo(before + 1, 3);
    expect(models[0]!.known.knows('198.51.100.7')).toBe(true);
  });
});
