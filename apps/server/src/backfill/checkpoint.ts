import { BackfillError } from './backfillError';

/** How far a job got in one archive file. */
export interface FileCheckpoint {
  /** Size and modification time when last read: a file that shrank has been replaced. */
  size: number;
  mtimeMs: number;
  /** Lines 1..line are committed (sent or dead-lettered) and are skipped on resume. */
  line: number;
  /** The whole file is committed. */
  done: boolean;
}

/** How far a job got in one partition of a source topic (offsets as decimal strings). */
export interface PartitionCheckpoint {
  /** Next offset to copy. */
  next: string;
  /** The partition's end when the job first started; the replay stops there. */
  end: string;
}

/** A rebuild's window and whether its delete phase has finished (it is never repeated then). */
export interface RebuildCheckpoint {
  /** Rebuilt metrics, sorted. */
  metrics: string[];
  /** Window start (unix seconds), or null for everything before {@link RebuildCheckpoint.before}. */
  since: number | null;
  /** The cut-over to live traffic (unix seconds); fixed when the job first starts. */
  before: number;
  /** The metrics are deleted over the window: only replaying is left. */
  deleted: boolean;
}

/**
 * The state of one backfill job, written in the same Kafka transaction as the
 * data it describes, so it can never claim more (or less) than was committed.
 */
export interface BackfillCheckpoint {
  version: 1;
  job: string;
  /** Per absolute file path. */
  files: Record<string, FileCheckpoint>;
  /** Per partition number, when replaying a topic. */
  partitions: Record<string, PartitionCheckpoint>;
  /** ISO time of the commit, for operators reading the topic. */
  updatedAt: string;
  /** Only for `--rebuild` jobs. */
  rebuild?: RebuildCheckpoint;
}

/** A fresh checkpoint for a job that has not committed anything. */
export function emptyCheckpoint(job: string): BackfillCheckpoint {
  return { version: 1, job, files: {}, partitions: {}, updatedAt: new Date(0).toISOString() };
}

/** The value written to the checkpoint topic (JSON). */
export function encodeCheckpoint(checkpoint: BackfillCheckpoint): string {
  return JSON.stringify(checkpoint);
}

/**
 * Reads a checkpoint record, checking every field. Throws a
 * {@link BackfillError} (`checkpoint`) that says what is wrong: resuming from a
 * checkpoint that is not understood would risk sending data twice.
 */
export function decodeCheckpoint(job: string, value: Buffer | string): BackfillCheckpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw bad(job, 'it is not JSON');
  }
  if (!isObject(parsed)) throw bad(job, 'it is not a JSON object');
  if (parsed['version'] !== 1) throw bad(job, `its version is ${JSON.stringify(parsed['version'])}, this ipscope reads version 1`);
  if (parsed['job'] !== job) throw bad(job, `it names job ${JSON.stringify(parsed['job'])}`);
  const files = parsed['files'];
  const partitions = parsed['partitions'];
  const updatedAt = parsed['updatedAt'];
  if (!isObject(files)) throw bad(job, 'files is not an object');
  if (!isObject(partitions)) throw bad(job, 'partitions is not an object');
  if (typeof updatedAt !== 'string') throw bad(job, 'updatedAt is not a string');
  const checkpoint: BackfillCheckpoint = { version: 1, job, files: {}, partitions: {}, updatedAt };
  for (const [file, entry] of Object.entries(files)) {
    if (
      !isObject(entry) ||
      !isCount(entry['size']) ||
      typeof entry['mtimeMs'] !== 'number' ||
      !Number.isFinite(entry['mtimeMs']) ||
      !isCount(entry['line']) ||
      typeof entry['done'] !== 'boolean'
    ) {
      throw bad(job, `the entry of ${file} is not {size, mtimeMs, line, done}`);
    }
    checkpoint.files[file] = { size: entry['size'], mtimeMs: entry['mtimeMs'], line: entry['line'], done: entry['done'] };
  }
  for (const [partition, entry] of Object.entries(partitions)) {
    if (!/^\d+$/.test(partition) || !isObject(entry) || !isOffset(entry['next']) || !isOffset(entry['end'])) {
      throw bad(job, `the entry of partition ${partition} is not {next, end} offsets`);
    }
    checkpoint.partitions[partition] = { next: entry['next'], end: entry['end'] };
  }
  const rebuild = parsed['rebuild'];
  if (rebuild !== undefined) {
    if (
      !isObject(rebuild) ||
      !Array.isArray(rebuild['metrics']) ||
      !rebuild['metrics'].every((m) => typeof m === 'string') ||
      !(rebuild['since'] === null || isCount(rebuild['since'])) ||
      !isCount(rebuild['before']) ||
      typeof rebuild['deleted'] !== 'boolean'
    ) {
      throw bad(job, 'rebuild is not {metrics, since, before, deleted}');
    }
    checkpoint.rebuild = { metrics: rebuild['metrics'] as string[], since: rebuild['since'] as number | null, before: rebuild['before'], deleted: rebuild['deleted'] };
  }
  return checkpoint;
}

function bad(job: string, why: string): BackfillError {
  return new BackfillError(
    'checkpoint',
    `the checkpoint of job ${job} cannot be used: ${why}. Re-run with --restart to start over (it sends everything again), or use another --job`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isOffset(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value);
}
