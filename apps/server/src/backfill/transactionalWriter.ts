import { CompressionTypes, type Kafka, type Message, type Producer, type Transaction } from 'kafkajs';
import { BackfillError } from './backfillError';
import { encodeCheckpoint, type BackfillCheckpoint } from './checkpoint';

/** Buffered bytes that trigger a send: well under the broker's 1 MiB record-batch limit per partition. */
const FLUSH_BYTES = 512 * 1024;
const FLUSH_COUNT = 2000;
/** Rough per-message overhead of the record format and headers, for the flush estimate. */
const OVERHEAD = 64;

/**
 * Writes a backfill in transactions: messages are buffered and sent inside
 * the open transaction; {@link commit} sends the job's checkpoint in the same
 * transaction and commits, so data and checkpoint become visible together or
 * not at all (read-committed consumers never see an aborted chunk).
 *
 * The producer must be transactional (`transactionalId` per job,
 * `idempotent`, `maxInFlightRequests: 1`).
 */
export class TransactionalWriter {
  private transaction: Transaction | undefined;
  private readonly pending = new Map<string, Message[]>();
  private pendingBytes = 0;
  private pendingCount = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly checkpointTopic: string,
    private readonly job: string,
  ) {}

  /**
   * Claims the job's transactional id and returns read barriers for its
   * checkpoint. Initialising the id fences any earlier run of the same job
   * (its next write fails) and waits until a transaction that run left open
   * is aborted and one it committed is complete. Then a barrier record (key
   * `<job>.barrier`, no value) is committed to each checkpoint partition:
   * once a read-committed reader has passed the barrier it has seen every
   * checkpoint committed before it, even while other jobs hold transactions
   * open on the same partition (those hold back the last stable offset that
   * a plain "read to the end" would stop at).
   */
  async fence(checkpointPartitions: readonly number[]): Promise<Array<{ partition: number; offset: string }>> {
    try {
      const transaction = await this.producer.transaction();
      const written = await transaction.send({
        topic: this.checkpointTopic,
        messages: checkpointPartitions.map((partition) => ({ partition, key: `${this.job}.barrier`, value: null })),
      });
      await transaction.commit();
      return written.map((m) => ({ partition: m.partition, offset: String(m.baseOffset ?? '0') }));
    } catch (caught) {
      throw kafkaFailure(caught, this.job, 'cannot initialise the transactional producer');
    }
  }

  /** Buffers a message for the open transaction (started on first send). Call {@link flushIfFull} after. */
  add(topic: string, message: Message, bytes: number): void {
    let list = this.pending.get(topic);
    if (list === undefined) this.pending.set(topic, (list = []));
    list.push(message);
    this.pendingBytes += bytes + OVERHEAD;
    this.pendingCount++;
  }

  /** True when enough is buffered that it should be sent now. */
  get full(): boolean {
    return this.pendingBytes >= FLUSH_BYTES || this.pendingCount >= FLUSH_COUNT;
  }

  /**
   * Sends what is buffered (inside the transaction, not yet committed). The
   * send runs while the caller reads on; at most one is in flight, and its
   * failure is raised by the next flush, commit or {@link settle}.
   */
  async flush(): Promise<void> {
    if (this.pendingCount === 0) return;
    await this.settle();
    const topicMessages = [...this.pending].map(([topic, messages]) => ({ topic, messages }));
    this.pending.clear();
    this.pendingBytes = 0;
    this.pendingCount = 0;
    try {
      this.transaction ??= await this.producer.transaction();
    } catch (caught) {
      throw kafkaFailure(caught, this.job, 'starting a transaction failed');
    }
    const sending = this.transaction.sendBatch({ topicMessages, compression: CompressionTypes.None }).then(() => undefined);
    sending.catch(() => undefined); // raised by settle(); this only stops it counting as unhandled meanwhile
    this.inFlight = sending;
  }

  /** Waits for the send in flight, raising its failure. */
  async settle(): Promise<void> {
    const sending = this.inFlight;
    this.inFlight = undefined;
    if (sending === undefined) return;
    try {
      await sending;
    } catch (caught) {
      throw kafkaFailure(caught, this.job, 'sending to Kafka failed');
    }
  }

  /** Sends what is buffered if {@link full}. */
  async flushIfFull(): Promise<void> {
    if (this.full) await this.flush();
  }

  /**
   * Sends the rest, writes `checkpoint` (gzip-compressed: it lists every
   * file) and commits the transaction.
   */
  async commit(checkpoint: BackfillCheckpoint): Promise<void> {
    await this.flush();
    await this.settle();
    try {
      this.transaction ??= await this.producer.transaction();
      await this.transaction.send({
        topic: this.checkpointTopic,
        compression: CompressionTypes.GZIP,
        messages: [{ key: this.job, value: encodeCheckpoint(checkpoint) }],
      });
      await this.transaction.commit();
      this.transaction = undefined;
    } catch (caught) {
      throw kafkaFailure(caught, this.job, 'committing a chunk failed');
    }
  }

  /** Drops what is buffered and aborts the open transaction, if any. */
  async abort(): Promise<void> {
    this.pending.clear();
    this.pendingBytes = 0;
    this.pendingCount = 0;
    await this.settle().catch(() => undefined);
    const transaction = this.transaction;
    this.transaction = undefined;
    if (transaction !== undefined && transaction.isActive()) await transaction.abort();
  }
}

/**
 * Waits until the last transaction of a transactional id is complete: its
 * commit (or abort) markers are written, so read-committed consumers see
 * (or skip) its records from now on. A committed transaction is durable
 * before that, but a reader that looks right after the commit returned can
 * still find the partition's last stable offset short of it. Initialising
 * the id with a fresh producer waits for exactly that (and fences the old
 * producer, which must be done writing).
 */
export async function waitForTransactionEnd(kafka: Kafka, transactionalId: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, transactionalId, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    await transaction.abort();
  } finally {
    await producer.disconnect();
  }
}

const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const FENCED_CODES = new Set([47, 90]);

/** Turns a kafkajs failure into a BackfillError, recognising fencing by another run of the job. */
export function kafkaFailure(caught: unknown, job: string, what: string): BackfillError {
  if (caught instanceof BackfillError) return caught;
  for (let e: unknown = caught, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const { type, code } = e as { type?: unknown; code?: unknown };
    if ((typeof type === 'string' && FENCED_TYPES.has(type)) || (typeof code === 'number' && FENCED_CODES.has(code))) {
      return takenOverError(job, caught);
    }
    e = (e as { cause?: unknown }).cause;
  }
  const detail = caught instanceof Error ? caught.message : String(caught);
  return new BackfillError('kafka', `${what}: ${detail}`, true, { cause: caught });
}

/** The error of a run that another run of the same job has fenced. */
export function takenOverError(job: string, cause: unknown): BackfillError {
  return new BackfillError(
    'fenced',
    `another run of backfill job ${job} took over (same transactional id); this run stops. Its open chunk is discarded, nothing is counted twice`,
    false,
    { cause },
  );
}
