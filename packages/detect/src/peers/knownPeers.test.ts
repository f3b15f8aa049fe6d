import { describe, expect, it } from 'vitest';
import { KnownPeers, MAX_GENERATION_BYTES, generationBytes } from './knownPeers';

const DAY = 86_400;

describe('KnownPeers', () => {
  it('knows every peer it has seen and few it has not', () => {
    const known = KnownPeers.create(0);
    for (let i = 0; i < 100; i++) known.see(`10.0.${i}.1`, 0);
    for (let i = 0; i < 100; i++) expect(known.knows(`10.0.${i}.1`)).toBe(true);
    known.age(4 * DAY, 3.5 * DAY);
    // The first generation was too small for 100 peers, so it rotated early; the new generation is sized for them.
    let falseKnown = 0;
    for (let i = 0; i < 2000; i++) if (known.knows(`198.51.${i >> 8}.${i & 255}`)) falseKnown++;
    expect(falseKnown / 2000).toBeLessThan(0.1);
    for (let i = 0; i < 100; i++) known.see(`10.0.${i}.1`, 4 * DAY);
    known.age(8 * DAY, 3.5 * DAY);
    falseKnown = 0;
    for (let i = 0; i < 2000; i++) if (known.knows(`198.51.${i >> 8}.${i & 255}`)) falseKnown++;
    expect(falseKnown / 2000).toBeLessThan(0.03);
  });

  it('returns whether the peer was known before noting it', () => {
    const known = KnownPeers.create(0);
    expect(known.see('203.0.113.7', 0)).toBe(false);
    expect(known.see('203.0.113.7', 60)).toBe(true);
  });

  it('forgets a peer not seen for two generations', () => {
    const known = KnownPeers.create(0);
    known.see('203.0.113.7', 0);
    known.age(3.5 * DAY, 3.5 * DAY);
    expect(known.knows('203.0.113.7')).toBe(true);
    known.age(7 * DAY, 3.5 * DAY);
    expect(known.knows('203.0.113.7')).toBe(false);
  });

  it('sizes generations from the peers seen, within its limits', () => {
    expect(generationBytes(1)).toBe(128);
    expect(generationBytes(1000)).toBe(2048);
    expect(generationBytes(10_000_000)).toBe(MAX_GENERATION_BYTES);
  });

  it('stays useful after a scan: a flood of peers rotates generations early instead of filling one', () => {
    const known = KnownPeers.create(0);
    for (let i = 0; i < 20; i++) known.see(`10.1.0.${i}`, 0);
    for (let i = 0; i < 50_000; i++) known.see(`172.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 60);
    expect(known.current.length).toBeLessThanOrEqual(MAX_GENERATION_BYTES);
    let falseKnown = 0;
    for (let i = 0; i < 2000; i++) if (known.knows(`198.51.${i >> 8}.${i & 255}`)) falseKnown++;
    expect(falseKnown / 2000).toBeLessThan(0.2);
  });
});
