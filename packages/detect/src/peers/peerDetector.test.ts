import { describe, expect, it } from 'vitest';
import { InvalidBucketError, InvalidOptionError } from '../errors';
import { MemoryModelStateStore } from '../modelStateStore';
import { MONDAY, SeededRandom } from '../testing/seededRandom';
import { PeerDetector } from './peerDetector';
import type { PeerBucket } from './peerDetector';
import { PeerModel } from './peerModel';
import type { PeerActivity } from './peerModel';

const STEP = 60;

function usual(random: SeededRandom, host: number): Map<string, PeerActivity> {
  const peers = new Map<string, PeerActivity>();
  const n = 1 + random.poisson(4);
  for (let i = 0; i < n; i++) {
    const peer = `10.${host}.0.${1 + Math.floor(10 * random.next() * random.next())}`;
    const a = peers.get(peer) ?? { conns: 0, bytes: 0 };
    peers.set(peer, { conns: a.conns + 1, bytes: a.bytes + 1000 });
  }
  return peers;
}

describe('PeerDetector', () => {
  it('scores each host like its own PeerModel, with the state through the store, and skips a replayed step', async () => {
    const store = new MemoryModelStateStore();
    const detector = new PeerDetector(store);
    const direct = [PeerModel.create(detector.modelOptions), PeerModel.create(detector.modelOptions)];
    const random = new SeededRandom(11);
    for (let i = 0; i < 400; i++) {
      const ts = MONDAY + i * STEP;
      const buckets: PeerBucket[] = [0, 1].map((h) => ({ entity: `10.0.0.${h}`, ts, peers: usual(random, h) }));
      const result = await detector.processStep(ts, buckets);
      buckets.forEach((b, h) => {
        const expected = direct[h]!.update(ts, b.peers);
        expect(result.scores.find((s) => s.entity === b.entity)?.score).toBe(expected.score);
      });
      if (i === 399) expect((await detector.processStep(ts, buckets)).skipped).toBe(2);
    }
    expect(store.size).toBe(2);
  });

  it('opens an alert naming the peer and closes it once the host falls silent', async () => {
    const detector = new PeerDetector(new MemoryModelStateStore(), { silenceHorizon: 3600 });
    const random = new SeededRandom(12);
    const host = '10.0.0.5';
    const beaconFrom = 2 * 1440;
    const events = [];
    for (let i = 0; i < beaconFrom + 40; i++) {
      const ts = MONDAY + i * STEP;
      if (i >= beaconFrom + 20) {
        // The host sends nothing: the detector fills empty buckets for it, so the alert ends.
        events.push(...(await detector.processStep(ts, [])).events);
        continue;
      }
      const peers = usual(random, 0);
      if (i >= beaconFrom) peers.set('203.0.113.7', { conns: 1, bytes: 300 });
      events.push(...(await detector.processStep(ts, [{ entity: host, ts, peers }])).events);
    }
    const open = events.find((e) => e.type === 'open');
    expect(open?.alert.metric).toBe('conn.peer.orig');
    expect(open?.alert.entity).toBe(host);
    expect(open?.alert.view).toBe('peerBeacon');
    expect(open?.alert.explanation).toContain('new peer 203.0.113.7 (no other host contacted it) contacted every minute');
    expect(open?.alert.start).toBeGreaterThanOrEqual(MONDAY + beaconFrom * STEP);
    expect(events.some((e) => e.type === 'close' && e.alert.id === open?.alert.id)).toBe(true);
  });

  it('does not alert on a new peer that several hosts reach together (a shared service that moved), but on one host alone', async () => {
    const run = async (beaconHosts: number[]): Promise<string[]> => {
      const detector = new PeerDetector(new MemoryModelStateStore());
      const random = new SeededRandom(13);
      const from = 2 * 1440;
      const opened: string[] = [];
      for (let i = 0; i < from + 30; i++) {
        const ts = MONDAY + i * STEP;
        const buckets: PeerBucket[] = [0, 1, 2].map((h) => {
          const peers = usual(random, h);
          if (i >= from && beaconHosts.includes(h)) peers.set('203.0.113.7', { conns: 1, bytes: 300 });
          return { entity: `10.0.0.${h}`, ts, peers };
        });
        for (const e of (await detector.processStep(ts, buckets)).events) if (e.type === 'open') opened.push(e.alert.entity);
      }
      return opened;
    };
    expect(await run([0, 1])).toEqual([]);
    expect(await run([1])).toEqual(['10.0.0.1']);
    expect(() => new PeerDetector(new MemoryModelStateStore(), { model: { commonHosts: 1 } })).toThrow(/peers.commonHosts/);
  });

  it('rejects malformed buckets and options with typed errors', async () => {
    expect(() => new PeerDetector(new MemoryModelStateStore(), { metric: 'a|b' })).toThrow(InvalidOptionError);
    expect(() => new PeerDetector(new MemoryModelStateStore(), { model: { step: -1 } })).toThrow(/peers.step/);
    const detector = new PeerDetector(new MemoryModelStateStore());
    await expect(detector.processStep(MONDAY + 1, [])).rejects.toThrow(InvalidBucketError);
    await expect(detector.processStep(MONDAY, [{ entity: '10.0.0.1', ts: MONDAY + STEP, peers: new Map() }])).rejects.toThrow(/not the step being processed/);
    const twice: PeerBucket = { entity: '10.0.0.1', ts: MONDAY, peers: new Map() };
    await expect(detector.processStep(MONDAY, [twice, twice])).rejects.toThrow(/two buckets for the same host/);
  });
});
