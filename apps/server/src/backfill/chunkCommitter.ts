import type { BackfillCheckpoint } from './checkpoint';
import type { BackfillStats } from './backfillStats';
import type { TransactionalWriter } from './transactionalWriter';

/**
 * Decides when a chunk is complete and commits it with the checkpoint that
 * describes it. `working` is the checkpoint as of the last item added (what
 * the open transaction would make true); `committed` is the last one that
 * is. A chunk ends after `chunk` items or `maxMs`, whichever comes first, so
 * slow input still checkpoints regularly and a transaction never nears the
 * broker's transaction timeout.
 */
export class ChunkCommitter {
  committed: BackfillCheckpoint;
  readonly working: BackfillCheckpoint;
  private items = 0;
  private dirty = false;
  private startedAt = 0;

  constructor(
    private readonly writer: TransactionalWriter,
    checkpoint: BackfillCheckpoint,
    private readonly stats: BackfillStats,
    private readonly chunk: number,
    private readonly maxMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.committed = structuredClone(checkpoint);
    this.working = structuredClone(checkpoint);
  }

  /** One more line or message is in the open chunk. */
  item(): void {
    if (!this.dirty) this.startedAt = this.now();
    this.items++;
    this.dirty = true;
  }

  /** The working checkpoint changed without a new item (a file finished). */
  touch(): void {
    if (!this.dirty) this.startedAt = this.now();
    this.dirty = true;
  }

  /** Commits if the chunk is full or old enough; otherwise sends buffered messages when the buffer is full. */
  async step(): Promise<void> {
    if (this.items >= this.chunk || (this.dirty && this.now() - this.startedAt >= this.maxMs)) await this.commit();
    else await this.writer.flushIfFull();
  }

  /** Commits the open chunk, if anything changed since the last commit. */
  async commit(): Promise<void> {
    if (!this.dirty) return;
    this.working.updatedAt = new Date().toISOString();
    await this.writer.commit(this.working);
    this.committed = structuredClone(this.working);
    this.items = 0;
    this.dirty = false;
    this.stats.commits++;
  }
}
