import { MAX_INPUT_BYTES, decoderFor, detectFormat, type DecodeResult, type Decoder } from '@ipscope/events';
import type { ArchiveFile } from './archiveFiles';
import { readArchiveLines, type ArchiveLine } from './archiveLines';
import { BackfillError } from './backfillError';
import { BACKFILL_HEADERS } from './backfillHeaders';
import type { FileCheckpoint } from './checkpoint';
import { countReason, type BackfillStats, type DeadLetterReason } from './backfillStats';
import type { ChunkCommitter } from './chunkCommitter';
import { deadLetterMessage } from './deadLetter';
import { encodeAnnotationMessage, encodeNetEventMessage, NET_EVENT_FORMAT } from './netEventMessage';
import type { BackfillFormat } from './options';
import { inWindow, type RebuildWindow } from './rebuildWindow';
import type { TransactionalWriter } from './transactionalWriter';

/** Everything {@link backfillFiles} needs. */
export interface FileBackfillContext {
  files: readonly ArchiveFile[];
  writer: TransactionalWriter;
  committer: ChunkCommitter;
  job: string;
  topic: string;
  dlqTopic: string;
  format: BackfillFormat;
  metrics: readonly string[] | undefined;
  /** `--rebuild`: only events in this window are sent (the others count as skipped `outside_window`). */
  window?: RebuildWindow | undefined;
  stats: BackfillStats;
  /** Aborted on SIGINT/SIGTERM: the run stops after the current line without committing it. */
  signal: AbortSignal;
  /** Bytes of archive read (or passed over), for progress. */
  onBytes: (bytes: number) => void;
  /** Called often (once per read chunk) so the progress line can redraw. */
  onTick: () => void;
}

/** Lines looked at to recognise a file's format before giving up on it. */
const DETECT_LINES = 100;
const DETECT_BYTES = 4 * 1024 * 1024;
const ZEEK_CONN_PATH = /^conn(?:-\d+)?$/;
const ZEEK_PATH_LINE = /^#path(?:\\x09|\t| +)(\S+)/;
const HASH = 35;

type DetectedFormat = 'zeek' | 'zeek-tsv' | 'suricata' | 'goflow2';

/**
 * Replays archive files in order, resuming after what the working checkpoint
 * says is committed. Returns `false` when interrupted (nothing of the open
 * chunk is committed then), `true` when every file is done (the last chunk is
 * left for the caller to commit).
 */
export async function backfillFiles(ctx: FileBackfillContext): Promise<boolean> {
  for (const file of ctx.files) {
    if (ctx.signal.aborted) return false;
    const prior = ctx.committer.working.files[file.path];
    if (prior !== undefined && file.size < prior.size) {
      throw new BackfillError(
        'changed_input',
        `${file.path} shrank from ${prior.size} to ${file.size} bytes since job ${ctx.job} read ${prior.line} lines of it, so those lines no longer describe it. ` +
          'Restore the file, start over with --restart (it sends everything again), or use another --job',
      );
    }
    if (isFileDone(prior, file)) {
      ctx.stats.filesAlreadyDone++;
      continue;
    }
    // A finished file that grew since is taken as appended to: its new lines are read.
    const state = { size: file.size, mtimeMs: file.mtimeMs, line: prior?.line ?? 0, done: false };
    ctx.committer.working.files[file.path] = state;
    const finished = await new FileReplay(ctx, file, state.line, state).run();
    if (!finished) return false;
    state.done = true;
    ctx.committer.touch();
    ctx.stats.filesCompleted++;
    await ctx.committer.step();
  }
  return true;
}

/** True when a checkpoint entry says the file is finished and the file has not grown since. */
export function isFileDone(prior: FileCheckpoint | undefined, file: ArchiveFile): boolean {
  return prior !== undefined && prior.done && file.size === prior.size;
}

/** The replay of one file. */
class FileReplay {
  private decoder: Decoder | undefined;
  private format: DetectedFormat | undefined;
  private pending: ArchiveLine[] = [];
  private pendingBytes = 0;
  private pendingMeaningful = 0;
  private otherLog = false;
  private lastLine = 0;
  private readonly metricsHeader: string | undefined;

  constructor(
    private readonly ctx: FileBackfillContext,
    private readonly file: ArchiveFile,
    private readonly skipThrough: number,
    private readonly state: { line: number },
  ) {
    if (ctx.format !== 'auto' && ctx.format !== 'netevent') this.use(ctx.format);
    this.metricsHeader = ctx.metrics === undefined ? undefined : ctx.metrics.join(',');
  }

  /** Returns false when interrupted. */
  async run(): Promise<boolean> {
    let diskBytes = 0;
    const lines = readArchiveLines(this.file.path, {
      maxLineBytes: MAX_INPUT_BYTES,
      onDiskBytes: (n) => {
        diskBytes += n;
        this.ctx.onBytes(n);
      },
    })[Symbol.asyncIterator]();
    let readError: unknown;
    try {
      reading: for (;;) {
        let next: IteratorResult<ArchiveLine[]>;
        try {
          next = await lines.next();
        } catch (caught) {
          readError = caught;
          break;
        }
        if (next.done) break;
        for (const line of next.value) {
          this.lastLine = line.no;
          if (this.decoder !== undefined) {
            if (!(await this.handle(line))) return false;
            continue;
          }
          const detected = this.detect(line);
          if (detected === 'unknown') break reading;
          if (detected === 'found') {
            for (const buffered of this.drain()) if (!(await this.handle(buffered))) return false;
          }
        }
        this.ctx.onTick();
      }
    } finally {
      await lines.return?.(undefined);
    }
    if (this.decoder === undefined) this.unknownFormat();
    if (readError !== undefined) this.unreadable(readError);
    this.ctx.onBytes(Math.max(0, this.file.size - diskBytes));
    return true;
  }

  /** Buffers a line until the format is known; says whether it now is, or never will be. */
  private detect(line: ArchiveLine): 'found' | 'wait' | 'unknown' {
    this.pending.push(line);
    this.pendingBytes += line.bytes.length;
    if (!line.truncated && !isBlank(line.bytes)) {
      this.pendingMeaningful++;
      const format = detectFormat(line.bytes);
      if (format !== undefined) {
        this.use(format);
        return 'found';
      }
    }
    return this.pendingMeaningful >= DETECT_LINES || this.pendingBytes >= DETECT_BYTES ? 'unknown' : 'wait';
  }

  private drain(): ArchiveLine[] {
    const lines = this.pending;
    this.pending = [];
    return lines;
  }

  private use(format: DetectedFormat): void {
    this.format = format;
    this.decoder = decoderFor(format);
  }

  /**
   * Nothing in the file's first lines looked like a known format: the file
   * is reported (and its lines looked at counted as skipped), not replayed.
   */
  private unknownFormat(): void {
    const read = Math.max(0, this.lastLine - this.skipThrough);
    this.ctx.stats.linesRead += read;
    this.ctx.stats.linesResumed += this.lastLine - read;
    if (read > 0) countReason(this.ctx.stats.skipped, 'unknown_format', read);
    this.ctx.stats.filesUnknownFormat.push(this.file.path);
    this.pending = [];
    this.state.line = this.lastLine;
    this.ctx.committer.touch();
  }

  /** Handles one line; returns false when the run was interrupted before it. */
  private async handle(line: ArchiveLine): Promise<boolean> {
    if (this.ctx.signal.aborted) return false;
    const { stats } = this.ctx;
    if (line.no <= this.skipThrough) {
      stats.linesResumed++;
      // A Zeek TSV header line configures the lines after it, so it is read again.
      if (this.format === 'zeek-tsv' && !line.truncated && line.bytes[0] === HASH) this.zeekHeader(line);
      return true;
    }
    stats.linesRead++;
    this.state.line = line.no;
    this.ctx.committer.item();
    const source = `${this.file.path}:${line.no}`;
    if (line.truncated) {
      this.deadLetter(line, source, 'too_large', `line is ${line.length} bytes, over the limit of ${MAX_INPUT_BYTES} bytes`, undefined);
    } else if (isBlank(line.bytes)) {
      countReason(stats.skipped, 'blank');
    } else if (this.format === 'zeek-tsv' && line.bytes[0] === HASH) {
      this.deliver(this.zeekHeader(line), line, source);
    } else if (this.otherLog) {
      countReason(stats.skipped, 'other_log');
    } else {
      this.deliver((this.decoder as Decoder)(line.bytes), line, source);
    }
    await this.ctx.committer.step();
    return true;
  }

  /**
   * Feeds a Zeek TSV `#` line to the reader and notes whether the log it
   * opens is a conn log: other logs (dns, http, ...) in the same archive are
   * skipped as `other_log` rather than dead-lettered line by line.
   */
  private zeekHeader(line: ArchiveLine): DecodeResult {
    const text = line.bytes.toString('latin1');
    if (text.startsWith('#separator')) this.otherLog = false;
    const path = ZEEK_PATH_LINE.exec(text)?.[1];
    if (path !== undefined) this.otherLog = !ZEEK_CONN_PATH.test(path);
    return (this.decoder as Decoder)(line.bytes);
  }

  private deliver(result: DecodeResult, line: ArchiveLine, source: string): void {
    const { stats, writer } = this.ctx;
    switch (result.kind) {
      case 'event': {
        if (this.ctx.window !== undefined && !inWindow(this.ctx.window, result.event.ts)) {
          countReason(stats.skipped, 'outside_window');
          return;
        }
        const value = encodeNetEventMessage(result.event);
        writer.add(this.ctx.topic, { key: result.event.origIp, value, headers: this.headers(source) }, value.length + source.length + 96);
        stats.events++;
        return;
      }
      case 'annotation': {
        const value = encodeAnnotationMessage(result.annotation);
        const key = result.annotation.ips[0] ?? null;
        writer.add(this.ctx.topic, { key, value, headers: this.headers(source) }, value.length + source.length + 96);
        stats.annotations++;
        return;
      }
      case 'skip':
        countReason(stats.skipped, result.skip.reason);
        return;
      case 'error':
        this.deadLetter(line, source, result.error.reason, result.error.message, result.error.field);
        return;
    }
  }

  private headers(source: string): Record<string, string> {
    const headers: Record<string, string> = { [BACKFILL_HEADERS.format]: NET_EVENT_FORMAT, [BACKFILL_HEADERS.source]: source, [BACKFILL_HEADERS.job]: this.ctx.job };
    if (this.metricsHeader !== undefined) headers[BACKFILL_HEADERS.metrics] = this.metricsHeader;
    return headers;
  }

  private deadLetter(line: ArchiveLine, source: string, reason: DeadLetterReason, message: string, field: string | undefined): void {
    const letter = deadLetterMessage({
      raw: line.bytes,
      length: line.length,
      reason,
      message,
      source,
      format: this.format,
      field,
      job: this.ctx.job,
    });
    this.ctx.writer.add(this.ctx.dlqTopic, letter.message, letter.bytes);
    countReason(this.ctx.stats.deadLettered, reason);
  }

  /** The file could not be read to its end: one dead letter says where and why. */
  private unreadable(error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    const at = this.lastLine + 1;
    const letter = deadLetterMessage({
      raw: Buffer.alloc(0),
      length: 0,
      reason: 'read_error',
      message: `cannot read ${this.file.path} past line ${this.lastLine}: ${detail}`,
      source: `${this.file.path}:${at}`,
      format: this.format,
      field: undefined,
      job: this.ctx.job,
    });
    this.ctx.writer.add(this.ctx.dlqTopic, letter.message, letter.bytes);
    countReason(this.ctx.stats.deadLettered, 'read_error');
    this.ctx.stats.filesUnreadable.push(this.file.path);
    this.ctx.committer.touch();
  }
}

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 32 && b !== 9 && b !== 13 && b !== 11 && b !== 12) return false;
  }
  return true;
}
