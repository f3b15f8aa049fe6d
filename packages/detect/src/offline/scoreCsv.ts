import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { CsvFormatError, InvalidOptionError } from '../errors';
import { defaultSeriesModelOptions } from '../seriesModel';
import type { SeriesModelOptions, SeriesScore } from '../seriesModel';
import { SeriesState } from '../seriesState';
import { csvField, detectDelimiter, splitCsvLine } from './csvLine';
import { inferStep } from './inferStep';
import { parseTimestamp } from './timestamp';
import type { ParsedTimestamp } from './timestamp';

/** Options of the offline scorer. */
export interface ScoreCsvOptions {
  /** Model options; must equal the live detector's to reproduce its scores. Default: the defaults. */
  model: SeriesModelOptions;
  /** Step in seconds (or index units); default: inferred from the first rows ({@link inferStep}). */
  step: number | undefined;
  /** Called with every score of a learned row (the CLI uses it to summarise alerts). */
  onScore: ((score: SeriesScore, line: number) => void) | undefined;
  /**
   * Stop at the first row that is out of time order, repeats a timestamp, or follows
   * its predecessor by a gap that is not a whole number of steps, with an error naming
   * the line. Default false: such rows are scored as described on {@link CsvScorer}
   * and counted in {@link CsvScorer.notes}.
   */
  strict: boolean;
}

/** Rows the scorer handled in a way the analyst should know about (see {@link CsvScorer}). */
export interface ScoreNotes {
  /** Rows whose timestamp was not after the last learned row's (duplicates, rows out of order). */
  late: number;
  firstLateLine: number | undefined;
  /** Rows after a gap that is not a whole number of steps. */
  irregular: number;
  firstIrregularLine: number | undefined;
  /** Rows with an empty or NaN value. */
  missing: number;
  /** The step the model used (seconds or index units) and where it came from. */
  step: number | undefined;
  stepSource: string;
}

const TIME_NAMES = new Set(['timestamp', 'timestamps', 'time', 'ts', 'date', 'datetime', 'date_time', 'time_stamp', 'dt']);
const VALUE_NAMES = new Set(['value', 'values', 'y', 'val', 'count', 'metric']);
/** Header names that are labels or decompositions, never the series to score (Yahoo S5, NAB exports). */
const LABEL_NAMES = /^(label|labels|is_anomaly|anomaly|anomalies|changepoint|trend|noise|seasonality\d*|target|class)$/;
const MISSING = new Set(['', 'nan', 'na', 'n/a', 'null', 'none']);
/** A number written with a decimal comma, read as such only in semicolon-separated files. */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** Rows read before the step is fixed (when not given). */
const STEP_SAMPLE = 64;

interface PendingRow {
  ts: ParsedTimestamp;
  value: number | undefined;
  line: number;
  tsText: string;
  valueText: string;
}

/**
 * Scores a `timestamp,value` CSV row by row with the live detector's model.
 *
 * Feed lines with {@link CsvScorer.push} (1-based line numbers) and collect the output
 * lines, then {@link CsvScorer.finish}; one output row per input row, in input order,
 * `timestamp,value,anomaly_score`, the timestamp and value echoed as given.
 *
 * - Delimiter: a comma, or a tab or semicolon when the first line has no comma
 *   (the output is always comma-separated); in a semicolon-separated file a value
 *   such as `12,5` is read as 12.5 (and echoed as written).
 * - Header: optional. When present, the columns named like `timestamp`/`value`
 *   (`timestamps`, `time`, `date`…; any name containing "time" or "date") are used, in
 *   any order, and other columns (labels…) ignored; without a recognised value name
 *   the first column that is neither the time nor a label is the value.
 * - Step: the most common gap among the first {@link STEP_SAMPLE} rows (so one
 *   missing row at the start does not double it), unless given. Rows are held until
 *   it is known, then scored in order.
 * - Gaps: missing rows are skipped in time, as the live detector skips a missed
 *   bucket; a gap that is not a whole number of steps is scored at its own timestamp
 *   and counted.
 * - A row whose timestamp is not after the last learned row's (a duplicate, or a row
 *   out of order) is not learned — the live detector never learns a closed bucket
 *   twice — and gets the last learned row's score; counted.
 * - An empty or NaN value gets score 0 and teaches the model nothing.
 * - Anything else that is wrong (a value that is no number, a timestamp that is no
 *   time, a row without the two columns) is a {@link CsvFormatError} naming the line.
 */
export class CsvScorer {
  private readonly options: ScoreCsvOptions;
  private state: SeriesState | undefined;
  private headerDone = false;
  private delimiter: string | undefined;
  private timeColumn = 0;
  private valueColumn = 1;
  private calendar: { calendar: boolean; line: number } | undefined;
  private pending: PendingRow[] = [];
  private step: number | undefined;
  private lastTs: number | undefined;
  private lastLine = 0;
  private lastScore = 0;
  /** What was tolerated so far (late rows, irregular gaps, missing values) and the step used. */
  readonly notes: ScoreNotes = { late: 0, firstLateLine: undefined, irregular: 0, firstIrregularLine: undefined, missing: 0, step: undefined, stepSource: '' };

  constructor(options: Partial<ScoreCsvOptions> = {}) {
    this.options = { model: defaultSeriesModelOptions, step: undefined, onScore: undefined, strict: false, ...options };
    if (this.options.step !== undefined && !(this.options.step > 0 && Number.isFinite(this.options.step))) {
      throw new InvalidOptionError('step', `must be a positive number, e.g. 60 (got ${this.options.step})`);
    }
    this.step = this.options.step;
    if (this.step !== undefined) {
      this.notes.step = this.step;
      this.notes.stepSource = '--step';
    }
  }

  /** The output header line. */
  static readonly header = 'timestamp,value,anomaly_score';

  /** Reads one input line; returns the output lines ready so far (the header comes first). */
  push(raw: string, line: number): string[] {
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return [];
    this.delimiter ??= detectDelimiter(text);
    const fields = splitCsvLine(text, this.delimiter);
    if (fields === undefined) throw new CsvFormatError(line, 'unterminated quoted field');
    const out: string[] = [];
    if (!this.headerDone) {
      this.headerDone = true;
      out.push(CsvScorer.header);
      if (this.takeHeader(fields, line)) return out;
    }
    const needed = Math.max(this.timeColumn, this.valueColumn) + 1;
    if (fields.length < needed) {
      throw new CsvFormatError(line, `expected at least ${needed} columns (timestamp in column ${this.timeColumn + 1}, value in column ${this.valueColumn + 1}), got ${fields.length}`);
    }
    const tsText = fields[this.timeColumn] as string;
    const valueText = fields[this.valueColumn] as string;
    const ts = parseTimestamp(tsText);
    if (ts === undefined) {
      throw new CsvFormatError(line, `timestamp ${JSON.stringify(tsText)} is not a date (YYYY-MM-DD[ HH:MM:SS], ISO 8601, YYYY/MM/DD, MM/DD/YYYY), epoch seconds or milliseconds, or an index number`);
    }
    const value = parseValue(this.delimiter === ';' && DECIMAL_COMMA.test(valueText.trim()) ? valueText.replace(',', '.') : valueText, line);
    if (this.calendar === undefined) {
      this.calendar = { calendar: ts.calendar, line };
    } else if (ts.calendar !== this.calendar.calendar) {
      throw new CsvFormatError(line, `timestamp kind changed: line ${this.calendar.line} was ${this.calendar.calendar ? 'a date/epoch' : 'an index'}, this one is not`);
    }
    const row: PendingRow = { ts, value, line, tsText, valueText };
    if (this.step !== undefined) {
      out.push(this.scoreRow(row));
      return out;
    }
    this.pending.push(row);
    if (this.pending.length >= STEP_SAMPLE) out.push(...this.flushPending());
    return out;
  }

  /** Lines still to emit at the end of input (held rows; the header for an empty input). */
  finish(): string[] {
    if (!this.headerDone) return [CsvScorer.header];
    return this.flushPending();
  }

  private flushPending(): string[] {
    if (this.step === undefined) {
      const inferred = inferStep(this.pending.map((r) => r.ts.seconds));
      this.step = inferred ?? (this.calendar?.calendar === false ? 1 : 60);
      this.notes.step = this.step;
      this.notes.stepSource = inferred === undefined ? 'default (too few rows to infer it)' : `most common gap of the first ${this.pending.length} rows`;
    }
    const out = this.pending.map((row) => this.scoreRow(row));
    this.pending = [];
    return out;
  }

  private takeHeader(fields: string[], line: number): boolean {
    if (fields.length < 2) throw new CsvFormatError(line, `need at least two columns (timestamp,value; separated by commas, tabs or semicolons), got ${fields.length}`);
    if (parseTimestamp(fields[0] as string) !== undefined) return false;
    const names = fields.map((f) => f.trim().toLowerCase());
    let t = names.findIndex((n) => TIME_NAMES.has(n));
    if (t < 0) t = names.findIndex((n) => n.includes('time') || n.includes('date'));
    if (t < 0) t = 0;
    let v = names.findIndex((n, i) => i !== t && VALUE_NAMES.has(n));
    if (v < 0) v = names.findIndex((n, i) => i !== t && !LABEL_NAMES.test(n));
    if (v < 0) throw new CsvFormatError(line, `no value column in header ${JSON.stringify(fields.join(','))}: name one "value"`);
    this.timeColumn = t;
    this.valueColumn = v;
    return true;
  }

  private scoreRow(row: PendingRow): string {
    const echo = `${csvField(row.tsText)},${csvField(row.valueText)},`;
    if (row.value === undefined) {
      this.notes.missing++;
      return `${echo}${formatScore(0)}`;
    }
    const seconds = row.ts.seconds;
    const step = this.step as number;
    if (this.lastTs !== undefined) {
      const delta = seconds - this.lastTs;
      if (!(delta > 0)) {
        if (this.options.strict) {
          throw new CsvFormatError(row.line, `timestamp is not after line ${this.lastLine}'s; rows must be in increasing time order (without --strict such a row is not learned and repeats the previous score)`);
        }
        this.notes.late++;
        this.notes.firstLateLine ??= row.line;
        return `${echo}${formatScore(this.lastScore)}`;
      }
      const ratio = delta / step;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-6 * Math.max(1, ratio) || ratio < 0.5) {
        if (this.options.strict) {
          throw new CsvFormatError(
            row.line,
            `irregular step: ${delta} after line ${this.lastLine}, but the step is ${step} (${this.notes.stepSource}); every gap must be a whole number of steps (without --strict the row is scored at its own time)`,
          );
        }
        this.notes.irregular++;
        this.notes.firstIrregularLine ??= row.line;
      }
    }
    this.state ??= SeriesState.create(step, row.ts.calendar, false, this.options.model);
    const result = this.state.update(seconds, row.value);
    this.options.onScore?.(result, row.line);
    this.lastTs = seconds;
    this.lastLine = row.line;
    this.lastScore = result.score;
    return `${echo}${formatScore(result.score)}`;
  }
}

function parseValue(text: string, line: number): number | undefined {
  const t = text.trim();
  if (MISSING.has(t.toLowerCase())) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    throw new CsvFormatError(line, `value ${JSON.stringify(text)} is not a finite number (leave it empty or write NaN for a missing value)`);
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
 * may have been written (the CLI writes to a temporary file and renames it only on
 * success).
 */
export async function scoreCsvStream(input: Readable, output: Writable, options: Partial<ScoreCsvOptions> = {}): Promise<{ rows: number; notes: ScoreNotes }> {
  const scorer = new CsvScorer(options);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let rows = 0;
  const write = async (text: string): Promise<void> => {
    if (!output.write(`${text}\n`)) await once(output, 'drain');
  };
  const emit = async (outs: string[]): Promise<void> => {
    for (const out of outs) {
      if (out !== CsvScorer.header) rows++;
      await write(out);
    }
  };
  for await (const line of lines) {
    lineNo++;
    await emit(scorer.push(line, lineNo));
  }
  await emit(scorer.finish());
  return { rows, notes: scorer.notes };
}
