import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AlertTracker, defaultAlertOptions, resolveAlertOptions } from '../alertTracker';
import type { AlertOptions } from '../alertTracker';
import { DetectError } from '../errors';
import { scoreCsvStream } from '../offline/scoreCsv';
import { resolveSeriesModelOptions } from '../seriesModel';
import type { SeriesModelOptions } from '../seriesModel';
import { parseTransform } from '../transform';

/** Streams the command talks to (process.stdin/stdout/stderr in the real CLI). */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export const scoreUsage = `usage: ipscope score [--input file.csv|-] [--output out.csv|-] [--threshold x]
                    [--transform auto|log|none] [--seasonality auto|none] [--step seconds]
                    [--offset c] [--quantum q] [--strict]

Reads timestamp,value rows (a header is optional; with one, the timestamp and value
columns are found by name in any order and other columns are ignored), runs the live
detector's streaming model over them in time order and writes
timestamp,value,anomaly_score with one row out per row in (score in [0, 1]).
Timestamps: YYYY-MM-DD HH:MM:SS, ISO 8601, YYYY/MM/DD, MM/DD/YYYY, epoch s or ms, or an index.
The step is the most common gap of the first rows unless --step gives it. Missing rows are
gaps; a row with an empty or NaN value scores 0; a duplicated or out-of-order row is not
learned and repeats the previous score; a gap that is not a whole number of steps is
scored at its own time. --strict stops with an error at such rows instead.
--threshold only changes the alert summary printed on stderr (default 0.4), never the scores.
--transform/--seasonality/--offset/--quantum must match the live detector's settings
for the metric to reproduce its scores (all default to automatic, as live).
The live peer view (beacons, slow exfiltration: who an IP talks to) needs per-peer data
and does not apply to a single series.`;

interface ParsedArgs {
  input: string;
  output: string;
  alerts: AlertOptions;
  model: SeriesModelOptions;
  step: number | undefined;
  strict: boolean;
}

class UsageError extends DetectError {
  constructor(message: string) {
    super('usage', message);
  }
}

function parseArgs(argv: readonly string[]): ParsedArgs | 'help' {
  let input = '-';
  let output = '-';
  let threshold: number | undefined;
  const model: Partial<SeriesModelOptions> = {};
  let step: number | undefined;
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    // --allow-irregular was needed before irregular gaps became the default; still accepted.
    if (arg === '--allow-irregular') continue;
    if (arg === '--strict') {
      strict = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--input':
        input = value();
        break;
      case '--output':
        output = value();
        break;
      case '--threshold': {
        const text = value();
        threshold = Number(text);
        if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`--threshold must be a number in (0, 1], e.g. 0.4 (got ${JSON.stringify(text)})`);
        break;
      }
      case '--transform':
        model.transform = parseTransform(value());
        break;
      case '--seasonality': {
        const text = value();
        if (text !== 'auto' && text !== 'none') throw new UsageError(`--seasonality must be auto or none (got ${JSON.stringify(text)})`);
        model.seasonality = text;
        break;
      }
      case '--offset':
      case '--quantum': {
        const text = value();
        const n = Number(text);
        if (!(n > 0 && Number.isFinite(n))) throw new UsageError(`${name} must be a positive number, e.g. 1 (got ${JSON.stringify(text)})`);
        model[name === '--offset' ? 'offset' : 'quantum'] = n;
        break;
      }
      case '--step': {
        const text = value();
        step = Number(text);
        if (!(step > 0 && Number.isFinite(step))) throw new UsageError(`--step must be a positive number of seconds, e.g. 60 (got ${JSON.stringify(text)})`);
        break;
      }
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return {
    input,
    output,
    alerts: resolveAlertOptions(threshold === undefined ? {} : { threshold, immediateThreshold: Math.max(threshold, defaultAlertOptions.immediateThreshold) }),
    model: resolveSeriesModelOptions(model),
    step,
    strict,
  };
}

/**
 * `ipscope score`: the offline scorer. Returns the process exit code (0 ok, 1 bad
 * input, 2 usage error). Errors are written to `io.stderr` as one line naming the
 * problem (and the CSV line for bad rows); a summary of alert episodes at the
 * threshold follows a successful run.
 */
export async function scoreCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: ParsedArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr.write(`ipscope score: ${(error as Error).message}\n${scoreUsage}\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(`${scoreUsage}\n`);
    return 0;
  }
  const { input: inputPath, output: outputPath, alerts, model, step, strict } = args;
  let input: Readable;
  if (inputPath === '-') {
    input = io.stdin;
  } else {
    if (!fs.existsSync(inputPath)) {
      io.stderr.write(`ipscope score: input file ${inputPath} does not exist\n`);
      return 1;
    }
    input = fs.createReadStream(inputPath);
  }
  const toFile = outputPath !== '-';
  const partial = toFile ? `${outputPath}.partial-${process.pid}` : undefined;
  const output: Writable = partial === undefined ? io.stdout : fs.createWriteStream(partial);
  const tracker = AlertTracker.create();
  const episodes: { start: number; end: number | undefined; peak: number; view: string }[] = [];
  try {
    const { rows, notes } = await scoreCsvStream(input, output, {
      model,
      step,
      strict,
      onScore: (score) => {
        const t = tracker.observe(score.ts, score.score, score.view, alerts);
        if (t?.type === 'open') episodes.push({ start: t.start, end: undefined, peak: t.peakScore, view: t.peakView ?? 'spike' });
        const last = episodes[episodes.length - 1];
        if (last !== undefined && t !== undefined) {
          last.peak = t.peakScore;
          last.view = t.peakView ?? last.view;
          if (t.type === 'close') last.end = t.end;
        }
      },
    });
    if (partial !== undefined) {
      output.end();
      await finished(output);
      fs.renameSync(partial, outputPath);
    }
    io.stderr.write(`ipscope score: ${rows} rows scored; ${episodes.length} alert episode(s) at threshold ${alerts.threshold}\n`);
    if (notes.step !== undefined) io.stderr.write(`  step ${notes.step} (${notes.stepSource})\n`);
    if (notes.late > 0) {
      io.stderr.write(`  ${notes.late} row(s) not after the previous row's time (first: line ${notes.firstLateLine}): duplicates or out of order, not learned, previous score repeated\n`);
    }
    if (notes.irregular > 0) {
      io.stderr.write(`  ${notes.irregular} row(s) after a gap that is not a whole number of steps (first: line ${notes.firstIrregularLine}): scored at their own time\n`);
    }
    if (notes.missing > 0) io.stderr.write(`  ${notes.missing} row(s) without a value: score 0, not learned\n`);
    for (const e of episodes) {
      io.stderr.write(`  alert from ${e.start}${e.end === undefined ? ' (still open at end)' : ` to ${e.end}`}: peak ${e.peak.toFixed(3)} (${e.view})\n`);
    }
    return 0;
  } catch (error) {
    if (partial !== undefined) {
      output.end();
      await finished(output).catch(() => undefined);
      fs.rmSync(partial, { force: true });
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`ipscope score: ${message}\n`);
    return 1;
  }
}
