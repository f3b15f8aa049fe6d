import { describe, expect, it } from 'vitest';
import { KeyScheme } from './keyScheme';

describe('KeyScheme', () => {
  const keys = new KeyScheme('ips', 16);

  it('puts every key of a shard behind one hash tag', () => {
    expect(keys.values(3, '0a000001', 'days', 471_234)).toBe('{ips:3}v:0a000001:days:471234');
    expect(keys.labelled(3, '0a000001', 'days', 471_234)).toBe('{ips:3}l:0a000001:days:471234');
    expect(keys.hllBucket(3, 'peers', '0a000001', 'days', 7, 12)).toBe('{ips:3}hb:peers:0a000001:days:7:12');
    expect(keys.topIndex(3, 'bytes', 'days', 7)).toBe('{ips:3}t:bytes:days:7');
    expect(keys.roster(3, 'days', 7)).toBe('{ips:3}r:days:7');
    expect(keys.roster6(3, 'days', 7)).toBe('{ips:3}r6:days:7');
    expect(keys.rosterOf(3, 'days', 7, '0a000001')).toBe('{ips:3}r:days:7');
    expect(keys.rosterOf(3, 'days', 7, '20010db8000000000000000000000001')).toBe('{ips:3}r6:days:7');
    expect(keys.directory(3, 'days')).toBe('{ips:3}d:days');
    expect(keys.registry(3)).toBe('{ips:3}M');
    expect(keys.rosterMember('0a000001')).toBe('167772161');
    expect(keys.rosterMember('ffffffff')).toBe('4294967295');
    expect(keys.rosterMember('20010db8000000000000000000000001')).toBe('20010db8000000000000000000000001');
    expect(keys.registryEntry('c', true, 5)).toBe('c15');
    expect(keys.ids()).toBe('{ips}ids');
    // the per-metric entity index in 4 parts, by the entity key's last hex digit
    expect(keys.entities(3, 'bytes', '0a00000f')).toBe('{ips:3}e:bytes:3');
    expect(keys.entities(3, 'bytes', '0a000004')).toBe('{ips:3}e:bytes:0');
    expect(keys.entities(3, 'bytes', '20010db8000000000000000000000001')).toBe('{ips:3}e:bytes:1');
    expect(keys.entityIndexParts(3, 'bytes')).toEqual(['{ips:3}e:bytes:0', '{ips:3}e:bytes:1', '{ips:3}e:bytes:2', '{ips:3}e:bytes:3']);
    expect(keys.allEntities(3)).toBe('{ips:3}E');
    expect(keys.shardFence(3)).toBe('{ips:3}f');
    expect(keys.generations(3)).toBe('{ips:3}g');
    expect(keys.entityGenerations(3, '0a00000f')).toBe('{ips:3}g:f');
    expect(keys.entityGenerations(3, '20010db8000000000000000000000001')).toBe('{ips:3}g:1');
    // shard numbers in base 36: an IPv4 values hash key of the default prefix fits in 30 characters
    expect(keys.tag(15)).toBe('{ips:f}');
    expect(keys.tag(36)).toBe('{ips:10}');
    expect(keys.values(15, '0a010613', 'months', 20_786)).toBe('{ips:f}v:0a010613:months:20786');
    expect(keys.newest()).toBe('{ips}newest');
    expect(keys.fence()).toBe('{ips}fence');
  });

  it('spreads entities evenly and always the same way', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const key = (0x0a000000 + i).toString(16).padStart(8, '0');
      const shard = keys.shardOf(key);
      expect(shard).toBe(keys.shardOf(key));
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const c of counts) {
      expect(c).toBeGreaterThan(800);
      expect(c).toBeLessThan(1200);
    }
  });
});
