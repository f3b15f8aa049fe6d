import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { CsvFormatError, InvalidOptionError } from '../errors';
import { defaultSeriesModelOptions } from '../seriesModel';
import type { SeriesModelOptions, SeriesScore } from '../seriesModel';
import { SeriesState } from '../seriesState';
import { csvField, splitCsvLine } from './csvLine';
import { parseTimestamp } from './timestamp';
import type { ParsedTimestamp } from './timestamp';

/** Options of the offline scorer. */
export interface ScoreCsvOptions {
  /** Model options; must equal the live detector's to reproduce its scores. Default: the defaults. */
  model: SeriesModelOptions;
  /** Step in seconds (or index units); default: the difference between the first two rows. */
  step: number | undefined;
  /** Called with every score (the CLI uses it to summarise alerts). */
  onScore: ((score: SeriesScore, line: number) => void) | undefined;
  /**
   * Accept gaps that are not whole steps (rows are still scored in time order, each at
   * its own timestamp). Default false: an irregular step is an error naming the line.
   */
  allowIrregular: boolean;
}

const TIME_NAMES = new Set(['timestamp', 'timestamps', 'time', 'ts', 'date', 'datetime']);
const VALUE_NAMES = new Set(['value', 'values', 'y']);
const MISSING = new Set(['', 'nan', 'na', 'null', 'none']);

/**
 * Scores a `timestamp,value` CSV row by row with the live detector's model.
 *
 * Feed lines with {@link CsvScorer.push} (1-based line numbers) and collect the output
 * lines; one output row per input row, `timestamp,value,anomaly_score`, the timestamp
 * and value echoed as given. A header is optional; when present, columns named
 * `timestamp`/`value` (or `timestamps`, `time`, `date`…) are used and other columns
 * ignored. The step is the gap between the first two rows; later gaps must be whole
 * multiples of it (missing rows are skipped in time, as the live detector skips a
 * missed bucket) and anything else is an error naming the line. An empty or NaN value
 * gets score 0 and teaches the model nothing.
 */
export class CsvScorer {
  private readonly options: ScoreCsvOptions;
  private state: SeriesState | undefined;
  private headerDone = false;
  private timeColumn = 0;
  private valueColumn = 1;
  private columns = 0;
  private first: { ts: ParsedTimestamp; value: number | undefined; line: number } | undefined;
  private previous: { ts: ParsedTimestamp; line: number } | undefined;
  private step: number | undefined;
  private stepLines = '';

  constructor(options: Partial<ScoreCsvOptions> = {}) {
    this.options = { model: defaultSeriesModelOptions, step: undefined, onScore: undefined, allowIrregular: false, ...options };
    if (this.options.step !== undefined && !(this.options.step > 0 && Number.isFinite(this.options.step))) {
      throw new InvalidOptionError('step', `must be a positive number, e.g. 60 (got ${this.options.step})`);
    }
    this.step = this.options.step;
    if (this.step !== undefined) this.stepLines = '--step';
  }

  /** The output header line. */
  static readonly header = 'timestamp,value,anomaly_score';

  /** Scores one input line; returns the output lines it produces (the header with the first row). */
  push(raw: string, line: number): string[] {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return [];
    const fields = splitCsvLine(text);
    if (fields === undefined) throw new CsvFormatError(line, 'unterminated quoted field');
    const out: string[] = [];
    if (!this.headerDone) {
      this.headerDone = true;
      out.push(CsvScorer.header);
      if (this.takeHeader(fields, line)) return out;
    }
    if (fields.length !== this.columns) {
      throw new CsvFormatError(line, `expected ${this.columns} columns like the first row, got ${fields.length}`);
    }
    const tsText = fields[this.timeColumn] as string;
    const valueText = fields[this.valueColumn] as string;
    const ts = parseTimestamp(tsText);
    if (ts === undefined) throw new CsvFormatError(line, `timestamp ${JSON.stringify(tsText)} is not a date, date-time, epoch or index number`);
    const value = parseValue(valueText, line);
    this.checkTime(ts, line);
    out.push(this.scoreRow(ts, value, line, tsText, valueText));
    return out;
  }

  /** Lines to emit at the end of input (the header for an empty input). */
  finish(): string[] {
    return this.headerDone ? [] : [CsvScorer.header];
  }

  private takeHeader(fields: string[], line: number): boolean {
    this.columns = fields.length;
    if (fields.length < 2) throw new CsvFormatError(line, `need at least two columns (timestamp,value), got ${fields.length}`);
    const looksLikeData = parseTimestamp(fields[0] as string) !== undefined;
    if (looksLikeData) return false;
    const names = fields.map((f) => f.trim().toLowerCase());
    const t = names.findIndex((n) => TIME_NAMES.has(n));
    const v = names.findIndex((n) => VALUE_NAMES.has(n));
    this.timeColumn = t >= 0 ? t : 0;
    this.valueColumn = v >= 0 ? v : this.timeColumn === 1 ? 0 : 1;
    if (this.timeColumn === this.valueColumn) throw new CsvFormatError(line, 'header names the same column as timestamp and value');
    return true;
  }

  private checkTime(ts: ParsedTimestamp, line: number): void {
    const previous = this.previous;
    this.previous = { ts, line };
    if (previous === undefined) return;
    if (ts.calendar !== previous.ts.calendar) {
      throw new CsvFormatError(line, `timestamp kind changed: line ${previous.line} was ${previous.ts.calendar ? 'a date/epoch' : 'an index'}, this one is not`);
    }
    const delta = ts.seconds - previous.ts.seconds;
    if (!(delta > 0)) {
      throw new CsvFormatError(line, `timestamp is not after line ${previous.line}'s; rows must be in increasing time order`);
    }
    if (this.step === undefined) {
      this.step = delta;
      this.stepLines = `lines ${previous.line}–${line}`;
      return;
    }
    const ratio = delta / this.step;
    if (!this.options.allowIrregular && Math.abs(ratio - Math.round(ratio)) > 1e-6 * Math.max(1, ratio)) {
      throw new CsvFormatError(
        line,
        `irregular step: ${delta} s after line ${previous.line}, but the step is ${this.step} s (set by ${this.stepLines}); every gap must be a whole number of steps (or pass --allow-irregular to score the rows in order anyway)`,
      );
    }
  }

  private scoreRow(ts: ParsedTimestamp, value: number | undefined, line: number, tsText: string, valueText: string): string {
    let score = 0;
    if (this.state === undefined && this.step === undefined) {
      // First row: the step is not known yet. A first row always scores 0 (warm-up), so
      // it is written now and learned once the second row fixes the step.
      this.first = { ts, value, line };
    } else {
      if (this.state === undefined) {
        this.state = SeriesState.create(this.step as number, ts.calendar, false, this.options.model);
        const first = this.first;
        if (first !== undefined && first.value !== undefined) this.learn(first.ts.seconds, first.value, first.line);
      }
      if (value !== undefined) score = this.learn(ts.seconds, value, line);
    }
    return `${csvField(tsText)},${csvField(valueText)},${formatScore(score)}`;
  }

  private learn(seconds: number, value: number, line: number): number {
    const state = this.state as SeriesState;
    const result = state.update(seconds, value);
    this.options.onScore?.(result, line);
    return result.score;
  }
}

function parseValue(text: string, line: number): number | undefined {
  const t = text.trim();
  if (MISSING.has(t.toLowerCase())) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    throw new CsvFormatError(line, `value ${JSON.stringify(text)} is not a number (leave it empty or write NaN for a missing value)`);
  }
  return n;
}

/** Scores are written with 6 decimals: enough to rank, short enough to read. */
export function formatScore(score: number): string {
  return score.toFixed(6);
}

/**
 * Streams a CSV from `input` to `output` through a {@link CsvScorer}, line by line
 * with back-pressure; memory stays constant whatever the file size. Throws
 * {@link CsvFormatError} (with the line number) on the first bad row; rows before it
 * have been written.
 */
export async function scoreCsvStream(input: Readable, output: Writable, options: Partial<ScoreCsvOptions> = {}): Promise<{ rows: number }> {
  const scorer = new CsvScorer(options);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let rows = 0;
  const write = async (text: string): Promise<void> => {
    if (!output.write(`${text}\n`)) await once(output, 'drain');
  };
  for await (const line of lines) {
    lineNo++;
    for (const out of scorer.push(line, lineNo)) {
      if (out !== CsvScorer.header) rows++;
      await write(out);
    }
  }
  for (const out of scorer.finish()) await write(out);
  return { rows };
}
