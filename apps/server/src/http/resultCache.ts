export interface ResultCacheOptions {
  /** Milliseconds a computed result is served again. 0: only share computations in flight. Default 2 000. */
  ttlMs?: number;
  /** Most results kept; the oldest go first. Default 500. */
  maxEntries?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/**
 * Shares work between identical requests: concurrent requests for the same key wait for one
 * computation (single flight), and a finished result is served again for `ttlMs`. Callers put
 * what the result depends on in the key — the validated query and the bucket of the store's
 * newest data — so a new bucket makes a new key; the TTL bounds how late data added to
 * already-seen buckets shows. Failures are not cached.
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(options: ResultCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expires > now) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const value = compute();
    const record = { value, expires: Number.POSITIVE_INFINITY };
    this.entries.delete(key);
    this.entries.set(key, record);
    value.then(
      () => {
        record.expires = this.now() + this.ttlMs;
        if (this.ttlMs === 0 && this.entries.get(key) === record) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === record) this.entries.delete(key);
      },
    );
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
