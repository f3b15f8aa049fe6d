/** What one consume-only (ceiling) run saw, with wall-clock times in epoch milliseconds. */
export interface ConsumeResult {
  client: 'kafkajs' | 'platformatic';
  messages: number;
  valueBytes: number;
  /** Sum of `orig_bytes` over the parsed records: both clients must agree, and it keeps the parse from being dead code. */
  origBytesSum: number;
  /** When the consumer was created (after the process loaded its modules). */
  createdAt: number;
  /** When the group assigned partitions (kafkajs GROUP_JOIN, platformatic consumer:group:join). */
  joinedAt: number | undefined;
  firstMessageAt: number | undefined;
  /** When the last offset of every partition had been parsed. */
  doneAt: number;
  /** User + system CPU seconds of the consuming node process (process.cpuUsage), start-up included. */
  cpuSeconds: number;
}

/** What a ceiling consumer needs to know: where, and when it is done. */
export interface ConsumeTarget {
  brokers: string[];
  topic: string;
  group: string;
  /** Last offset of each partition; the run is done when each was seen. */
  lastOffsets: Map<number, number>;
  /** Most bytes per partition and fetch: the worker's default (8 MiB). */
  fetchBytes: number;
}

/** Tracks the last offset reached per partition; `done` once every non-empty partition reached its last. */
export class CompletionTracker {
  private readonly remaining: Set<number>;

  constructor(private readonly lastOffsets: Map<number, number>) {
    this.remaining = new Set([...lastOffsets].filter(([, last]) => last >= 0).map(([p]) => p));
  }

  reached(partition: number, offset: number): void {
    if (offset >= (this.lastOffsets.get(partition) ?? -1)) this.remaining.delete(partition);
  }

  get done(): boolean {
    return this.remaining.size === 0;
  }
}

/** Parses one Zeek conn JSON value and returns its `orig_bytes` (0 when absent): the ceiling's per-message work. */
export function parseOrigBytes(value: Buffer): number {
  const record = JSON.parse(value.toString('utf8')) as { orig_bytes?: unknown };
  return typeof record.orig_bytes === 'number' ? record.orig_bytes : 0;
}

/** CPU seconds this process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
