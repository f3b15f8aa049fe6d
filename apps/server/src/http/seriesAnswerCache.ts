/** Settings of {@link SeriesAnswerCache}; defaults beside each. */
export interface SeriesAnswerCacheOptions {
  /** Most bytes of answers kept; the least recently used go first. 0 turns the cache off. Default 64 MiB. */
  maxBytes?: number;
}

interface Kept {
  version: string;
  bytes: Buffer;
}

/**
 * Series answers (their JSON bytes) kept per validated request, each with the store version it
 * was read at (`Store.versionedSeries`). The cache never decides on its own that an answer is
 * still right: the route serves a kept answer only after `Store.seriesVersion` — one round trip,
 * no data read — returned the same version, which every write, delete and retention move that
 * changes the answer changes. So it can never serve stale data; it saves the read and the
 * JSON writing of answers that have not changed (an analyst's IP pages, shared links, every
 * dashboard showing the same host).
 */
export class SeriesAnswerCache {
  private readonly entries = new Map<string, Kept>();
  private readonly maxBytes: number;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(options: SeriesAnswerCacheOptions = {}) {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a whole number of bytes, 0 or more (e.g. 67108864), got ${String(options.maxBytes)}`);
    this.maxBytes = maxBytes;
  }

  /** The answer kept for `key`, with its version (check the version before serving it). */
  get(key: string): Kept | undefined {
    const kept = this.entries.get(key);
    if (kept) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, kept);
    }
    return kept;
  }

  /** Keeps an answer read at `version`, replacing what `key` held; drops the least recently used beyond the size. */
  set(key: string, version: string, bytes: Buffer): void {
    this.drop(key);
    if (bytes.length > this.maxBytes) return;
    this.entries.set(key, { version, bytes });
    this.bytes += bytes.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  /** Bytes of answers kept. */
  get size(): number {
    return this.bytes;
  }

  private drop(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    this.bytes -= kept.bytes.length;
  }
}
