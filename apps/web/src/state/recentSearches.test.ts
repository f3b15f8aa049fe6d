import { describe, expect, it } from 'vitest';
import { addRecent, loadRecent, saveRecent } from './recentSearches';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('addRecent', () => {
  it('puts the newest first and removes its older copy', () => {
    expect(addRecent(['10.0.0.1', '10.0.0.2'], '10.0.0.2')).toEqual(['10.0.0.2', '10.0.0.1']);
  });

  it('keeps at most the limit', () => {
    expect(addRecent(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });

  it('ignores blank entries and does not mutate the list', () => {
    const list = ['a'];
    expect(addRecent(list, '  ')).toEqual(['a']);
    addRecent(list, 'b');
    expect(list).toEqual(['a']);
  });
});

describe('loadRecent / saveRecent', () => {
  it('round-trips through storage', () => {
    const storage = new MemoryStorage();
    saveRecent(storage, ['10.0.0.0/8', '::1']);
    expect(loadRecent(storage)).toEqual(['10.0.0.0/8', '::1']);
  });

  it.each(['not json', '{"a":1}', '[1,"x",null]'])('reads %j as what strings it holds', (raw) => {
    const storage = new MemoryStorage();
    storage.setItem('ipscope.recentSearches', raw);
    expect(loadRecent(storage)).toEqual(raw.startsWith('[') ? ['x'] : []);
  });
});
