import { createReadStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** One line of an archive file. */
export interface ArchiveLine {
  /** 1-based line number in the (decompressed) file. */
  no: number;
  /** The line without its newline (and a `\r` before it); only the first `keepBytes` when truncated. */
  bytes: Buffer;
  /** Length of the whole line in bytes, without the newline. */
  length: number;
  /** True when the line was longer than `maxLineBytes` and only its start is in {@link bytes}. */
  truncated: boolean;
}

/** Options of {@link readArchiveLines}. */
export interface ArchiveLinesOptions {
  /** Longest line kept whole. Longer lines come out truncated, never buffered whole. */
  maxLineBytes: number;
  /** How much of a longer line is kept. Default 64 KiB. */
  keepBytes?: number;
  /** Called with the number of bytes read from disk (compressed bytes for gzip), for progress. */
  onDiskBytes?: (bytes: number) => void;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const READ_CHUNK = 256 * 1024;

/** True when the file starts with the gzip magic bytes (whatever its name). */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * Streams a file's lines, in arrays (one per read chunk) so the per-line cost
 * stays low. Gzip files (recognised by their magic bytes, concatenated members
 * included) are decompressed on the fly. Memory stays bounded by the read
 * chunk and `maxLineBytes`, however long a line is. A last line without a
 * newline is still a line. Throws the stream's error (unreadable file,
 * corrupt gzip) after yielding every line read before it.
 */
export async function* readArchiveLines(file: string, options: ArchiveLinesOptions): AsyncGenerator<ArchiveLine[]> {
  const gzip = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK });
  let source: Readable = raw;
  if (gzip) {
    const gunzip = zlib.createGunzip({ chunkSize: READ_CHUNK });
    raw.on('error', (error) => gunzip.destroy(error));
    if (options.onDiskBytes) {
      const onDisk = options.onDiskBytes;
      raw.on('data', (chunk: string | Buffer) => onDisk(chunk.length));
    }
    raw.pipe(gunzip);
    source = gunzip;
  }
  const splitter = new LineSplitter(options.maxLineBytes, options.keepBytes ?? 64 * 1024);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gzip) options.onDiskBytes?.(chunk.length);
      const lines = splitter.push(chunk);
      if (lines.length > 0) yield lines;
    }
    const last = splitter.end();
    if (last !== undefined) yield [last];
  } finally {
    raw.destroy();
    source.destroy();
  }
}

/** Cuts a byte stream into lines; exported for its unit tests. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private truncated = false;
  private no = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly keepBytes: number,
  ) {}

  /** Feeds a chunk; returns the lines it completes. */
  push(chunk: Buffer): ArchiveLine[] {
    const lines: ArchiveLine[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        if (start < chunk.length) this.append(chunk.subarray(start));
        return lines;
      }
      if (this.length === 0 && newline - start <= this.maxLineBytes) {
        lines.push(this.line(chunk.subarray(start, newline), newline - start, false));
      } else {
        this.append(chunk.subarray(start, newline));
        lines.push(this.take());
      }
      start = newline + 1;
    }
  }

  /** The unterminated last line, if any. */
  end(): ArchiveLine | undefined {
    if (this.length === 0 && this.parts.length === 0) return undefined;
    return this.take();
  }

  private append(part: Buffer): void {
    this.length += part.length;
    if (this.truncated) return;
    if (this.length <= this.maxLineBytes) {
      this.parts.push(part);
      return;
    }
    this.truncated = true;
    this.parts = [Buffer.concat([...this.parts, part]).subarray(0, this.keepBytes)];
  }

  private take(): ArchiveLine {
    const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    const line = this.line(bytes, this.length, this.truncated);
    this.parts = [];
    this.length = 0;
    this.truncated = false;
    return line;
  }

  private line(bytes: Buffer, length: number, truncated: boolean): ArchiveLine {
    this.no++;
    if (!truncated && length > 0 && bytes[bytes.length - 1] === 13) {
      return { no: this.no, bytes: bytes.subarray(0, bytes.length - 1), length: length - 1, truncated };
    }
    return { no: this.no, bytes, length, truncated };
  }
}
