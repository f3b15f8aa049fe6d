/** Where a backfill is, for the progress line. */
export interface ProgressSnapshot {
  /** Work done, in bytes of archive read (or messages copied), earlier runs included. */
  done: number;
  total: number;
  /** Work that was already done when this run started. */
  doneAtStart: number;
  /** Lines (or messages) passed in this run. */
  lines: number;
  /** Seconds since this run started. */
  elapsed: number;
  /** What `lines` counts: `lines` or `messages`. */
  noun: string;
}

const BAR_WIDTH = 20;

/**
 * The one-line progress report: `[#####...............] 26% 1.2M/~4.6M lines 85k lines/s ETA 40s`.
 * The total number of lines is estimated from the bytes read so far (shown
 * with `~`); rate and ETA count this run only, so a resumed run does not look
 * faster than it is. Pure.
 */
export function formatProgressLine(s: ProgressSnapshot): string {
  const fraction = s.total > 0 ? Math.min(1, Math.max(0, s.done / s.total)) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`;
  const thisRun = s.done - s.doneAtStart;
  const remaining = Math.max(0, s.total - s.done);
  let count = `${humanCount(s.lines)} ${s.noun}`;
  if (thisRun > 0 && s.lines > 0) {
    const estimate = s.lines + Math.round((s.lines / thisRun) * remaining);
    count = remaining === 0 ? `${humanCount(s.lines)}/${humanCount(s.lines)} ${s.noun}` : `${humanCount(s.lines)}/~${humanCount(estimate)} ${s.noun}`;
  }
  const rate = s.elapsed > 0 ? `${humanCount(s.lines / s.elapsed)} ${s.noun}/s` : `- ${s.noun}/s`;
  let eta = 'ETA -';
  if (remaining === 0) eta = 'ETA 0s';
  else if (thisRun > 0 && s.elapsed > 0) eta = `ETA ${humanDuration(remaining / (thisRun / s.elapsed))}`;
  return `${bar} ${percent} ${count} ${rate} ${eta}`;
}

/** 950 → "950", 1234 → "1.2k", 85_000 → "85k", 1_200_000 → "1.2M". */
export function humanCount(n: number): string {
  const units: Array<[number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) {
      const scaled = n / size;
      return `${scaled >= 10 ? Math.round(scaled) : Math.round(scaled * 10) / 10}${suffix}`;
    }
  }
  return String(Math.round(n));
}

/** 13 → "13s", 125 → "2m05s", 3720 → "1h02m". */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A stream the progress line is written to. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Milliseconds between redraws on a terminal. Default 200. */
  ttyIntervalMs?: number;
  /** Milliseconds between plain lines when the stream is not a terminal. Default 5,000. */
  plainIntervalMs?: number;
  now?: () => number;
}

/**
 * Shows progress on a stream (stderr): on a terminal one line redrawn in
 * place, otherwise a plain line every few seconds, so logs stay readable.
 * `update` is cheap to call often; it only formats when a redraw is due.
 */
export class ProgressReporter {
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly interval: number;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressReporterOptions = {},
  ) {
    this.interval = stream.isTTY === true ? (options.ttyIntervalMs ?? 200) : (options.plainIntervalMs ?? 5000);
    this.now = options.now ?? Date.now;
    // A log gets its first line after one interval, not a meaningless 0% at once.
    if (stream.isTTY !== true) this.last = this.now();
  }

  /** Redraws if due; `snapshot` is only called then. */
  update(snapshot: () => ProgressSnapshot): void {
    const now = this.now();
    if (now - this.last < this.interval) return;
    this.last = now;
    this.draw(formatProgressLine(snapshot()));
  }

  /** Draws the final state and ends the line. */
  finish(snapshot: ProgressSnapshot): void {
    this.draw(formatProgressLine(snapshot));
    if (this.stream.isTTY === true) this.stream.write('\n');
    this.drawn = false;
  }

  /** Erases a redrawn line so other output starts on a clean one. */
  clear(): void {
    if (this.stream.isTTY === true && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(line: string): void {
    if (this.stream.isTTY === true) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(`backfill: ${line}\n`);
    this.drawn = true;
  }
}
