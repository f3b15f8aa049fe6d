/**
 * Command-line options of `pnpm bench:ingest`, parsed and checked once; a bad value stops
 * the run with a message naming the option and a value that would work.
 */
export interface IngestBenchOptions {
  /** Zeek conn records in the benchmark topic. Default 2 000 000. */
  records: number;
  /** Interleaved rounds of every case; medians are reported. Default 1. */
  rounds: number;
  /** Worker counts of the end-to-end runs. Default [1, 2]. */
  workers: number[];
  /** Seed of the generated traffic (part of the topic name, so a topic is reused only for the same data). Default 7. */
  seed: number;
  /**
   * Seconds of traffic the records cover, from a fixed Monday 00:00 UTC with the generator's daily
   * rhythm. Default 3 600: 2 million connections in an hour (about 560/s), a stream that needs a
   * fast ingest. It sets how many events share a metric/IP/minute bucket, so how much a batch
   * pre-aggregates: `--span 86400` spreads the same records over a day (sparse, the slow case).
   */
  spanSeconds: number;
  /** Folder for V8 CPU profiles of the first one-worker run (`--cpu-prof DIR`); none by default. */
  cpuProfDir: string | undefined;
  /**
   * Also run one worker on the old write path (`IPSCOPE_INGEST_WRITE_PATH=samples`: a `Sample`
   * object per metric and event through `bulkInsert`), side by side with the default aggregate
   * path (`--samples-path`). Default off.
   */
  samplesPath: boolean;
  /** Run the `@platformatic/kafka` ceiling (default); `--no-platformatic` skips it to shorten a run. */
  platformatic: boolean;
  /**
   * Also run one worker without the byte-weighted peer histograms (`IPSCOPE_METRICS_SKIP`), side
   * by side with the full catalog, for their cost in time, CPU and Redis memory
   * (`--peer-bytes-cost`). Default off.
   */
  peerBytesCost: boolean;
  /**
   * Instead of the Kafka runs, split a worker's CPU per event into its stages in-process (decode,
   * catalog, fold, the write's Node and Redis sides) on the same records (`--stages`). Default off.
   */
  stages: boolean;
  /** With `--stages`: most events per window (`--window-events N`); default: a partition's events are one window. */
  windowEvents: number | null;
}

export const defaultIngestBenchOptions: IngestBenchOptions = {
  records: 2_000_000,
  rounds: 1,
  workers: [1, 2],
  seed: 7,
  spanSeconds: 3600,
  cpuProfDir: undefined,
  samplesPath: false,
  platformatic: true,
  peerBytesCost: false,
  stages: false,
  windowEvents: null,
};

/** A command-line option that cannot work, with why. */
export class BenchOptionsError extends Error {
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`bench:ingest: ${option} ${reason}`);
    this.name = 'BenchOptionsError';
  }
}

const usage = 'usage: pnpm bench:ingest [--records N] [--rounds N] [--workers 1,2] [--seed N] [--span SECONDS] [--cpu-prof DIR] [--samples-path] [--no-platformatic] [--peer-bytes-cost] [--stages [--window-events N]]';

function wholeNumber(option: string, text: string | undefined, min: number, max: number, example: string): number {
  if (text === undefined || !/^\d+$/.test(text.replace(/_/g, ''))) {
    throw new BenchOptionsError(option, `needs a whole number, got ${JSON.stringify(text ?? '')} (e.g. ${option} ${example})`);
  }
  const value = Number(text.replace(/_/g, ''));
  if (value < min || value > max) throw new BenchOptionsError(option, `must be between ${min} and ${max}, got ${value} (e.g. ${option} ${example})`);
  return value;
}

/** Parses `process.argv.slice(2)`. */
export function parseIngestBenchOptions(argv: readonly string[]): IngestBenchOptions {
  const options: IngestBenchOptions = { ...defaultIngestBenchOptions, workers: [...defaultIngestBenchOptions.workers] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--records':
        options.records = wholeNumber(name, value(), 6_000, 20_000_000, '200000');
        break;
      case '--rounds':
        options.rounds = wholeNumber(name, value(), 1, 9, '3');
        break;
      case '--seed':
        options.seed = wholeNumber(name, value(), 1, 2 ** 31 - 1, '7');
        break;
      case '--span':
        options.spanSeconds = wholeNumber(name, value(), 60, 7 * 86_400, '3600');
        break;
      case '--workers': {
        const text = value() ?? '';
        const counts = text.split(',').map((w) => wholeNumber(name, w.trim(), 1, 6, '1,2'));
        if (new Set(counts).size !== counts.length) throw new BenchOptionsError(name, `lists a count twice: ${text} (e.g. --workers 1,2)`);
        options.workers = counts;
        break;
      }
      case '--cpu-prof': {
        const dir = value();
        if (!dir || dir.startsWith('--')) throw new BenchOptionsError(name, 'needs a folder for the profiles (e.g. --cpu-prof /tmp/ingest-prof)');
        options.cpuProfDir = dir;
        break;
      }
      case '--samples-path':
        options.samplesPath = true;
        break;
      case '--no-platformatic':
        options.platformatic = false;
        break;
      case '--peer-bytes-cost':
        options.peerBytesCost = true;
        break;
      case '--stages':
        options.stages = true;
        break;
      case '--window-events':
        options.windowEvents = wholeNumber(name, value(), 1_000, 20_000_000, '60000');
        break;
      default:
        throw new BenchOptionsError(arg, `is not an option\n${usage}`);
    }
  }
  return options;
}
