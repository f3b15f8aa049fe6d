/** One series state to persist. */
export interface StoredState {
  /** Series id (`metric|entity`). */
  id: string;
  state: Uint8Array;
  /** Bucket start of the last real (not filled-in) observation, epoch seconds; undefined keeps the stored one. */
  lastSeen: number | undefined;
}

/**
 * Where the detector keeps per-series model state between closed buckets, so a
 * restarted or additional detector continues where the last one left off.
 * {@link MemoryModelStateStore} keeps it in this process (offline runs, benchmarks);
 * `RedisModelStateStore` keeps it in Redis.
 */
export interface ModelStateStore {
  /** States for the ids, in the same order; undefined for a series never stored. */
  load(ids: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  /** Writes the states (and last-seen times) as one batch. */
  save(entries: readonly StoredState[]): Promise<void>;
  /** Ids of series last seen at or after `since` (epoch seconds). */
  listActive(since: number): Promise<string[]>;
  /** A small state shared by all series of a metric (the newcomer population model). */
  loadShared(name: string): Promise<Uint8Array | undefined>;
  saveShared(name: string, state: Uint8Array): Promise<void>;
}

/**
 * A {@link ModelStateStore} in this process's memory. It keeps the arrays it is given
 * (the detector hands over fresh ones from `encodeState` and never touches them
 * again) and returns them as they are; decoding copies what it needs.
 */
export class MemoryModelStateStore implements ModelStateStore {
  private readonly states = new Map<string, Uint8Array>();
  private readonly seen = new Map<string, number>();
  private readonly shared = new Map<string, Uint8Array>();

  async load(ids: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    return ids.map((id) => this.states.get(id));
  }

  async save(entries: readonly StoredState[]): Promise<void> {
    for (const entry of entries) {
      this.states.set(entry.id, entry.state);
      if (entry.lastSeen !== undefined) this.seen.set(entry.id, entry.lastSeen);
    }
  }

  async listActive(since: number): Promise<string[]> {
    const ids: string[] = [];
    for (const [id, ts] of this.seen) if (ts >= since) ids.push(id);
    return ids;
  }

  async loadShared(name: string): Promise<Uint8Array | undefined> {
    return this.shared.get(name)?.slice();
  }

  async saveShared(name: string, state: Uint8Array): Promise<void> {
    this.shared.set(name, state.slice());
  }

  /** Number of series held. */
  get size(): number {
    return this.states.size;
  }

  /** Total bytes of series state held (for memory figures). */
  get bytes(): number {
    let total = 0;
    for (const state of this.states.values()) total += state.length;
    return total;
  }
}
