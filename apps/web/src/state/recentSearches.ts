/** How many recent searches the search box offers. */
export const RECENT_LIMIT = 8;
const KEY = 'ipscope.recentSearches';

/** The list with `entry` moved (or added) to the front, duplicates removed, at most `limit` long. Pure. */
export function addRecent(list: readonly string[], entry: string, limit = RECENT_LIMIT): string[] {
  const value = entry.trim();
  if (value === '') return [...list];
  return [value, ...list.filter((x) => x !== value)].slice(0, limit);
}

/** Reads the recent searches; anything that is not a list of strings (another version, a hand edit) reads as empty. */
export function loadRecent(storage: Pick<Storage, 'getItem'>): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function saveRecent(storage: Pick<Storage, 'setItem'>, list: readonly string[]): void {
  try {
    storage.setItem(KEY, JSON.stringify(list.slice(0, RECENT_LIMIT)));
  } catch {
    // Storage full or disabled (private mode): recent searches are a convenience, searching still works.
  }
}
