import { BackfillError } from './backfillError';

/** How archive lines (or a source topic's messages) are read. */
export type BackfillFormat = 'auto' | 'zeek' | 'zeek-tsv' | 'suricata' | 'goflow2' | 'netevent';

const FILE_FORMATS: readonly BackfillFormat[] = ['auto', 'zeek', 'zeek-tsv', 'suricata', 'goflow2'];
const TOPIC_FORMATS: readonly BackfillFormat[] = ['zeek', 'suricata', 'goflow2', 'netevent'];

/** Options of `ipscope backfill`, after parsing and checking. */
export interface BackfillOptions {
  /** Files and folders to read (as given); empty with {@link fromTopic}. */
  inputs: string[];
  /** Replay this topic's retained history instead of files. */
  fromTopic: string | undefined;
  /** Kafka bootstrap servers. Default: `KAFKA_BROKERS` from the environment. */
  brokers: string[];
  /** Topic the events go to. Default `ipscope.backfill`; created with {@link partitions} partitions if missing. */
  topic: string;
  /** Dead-letter topic. Default `<topic>.dlq`. */
  dlqTopic: string;
  /** Compacted topic holding one checkpoint per job. Default `ipscope.backfill.checkpoints`. */
  checkpointTopic: string;
  /** Default `auto` for files (detected per file); required with {@link fromTopic}. */
  format: BackfillFormat;
  /** Only these metrics are filled from the replayed events (header `ipscope-metrics`). Default: all. */
  metrics: string[] | undefined;
  /** Job id: names the checkpoint and the transactional id. Default: a hash of what the job reads and writes. */
  job: string | undefined;
  /** Ignore the job's checkpoint and start over. Default false. */
  restart: boolean;
  /** Lines (or messages) per transaction. Default 5,000; a transaction also ends after 5 seconds. */
  chunk: number;
  /** Partitions of the target topic when it is created. Default 6. */
  partitions: number;
  /** Print the summary as one JSON object on stdout instead of text. Default false. */
  json: boolean;
  /**
   * Rebuild {@link metrics}: delete them in the store over the window, then replay only the
   * window's events (see rebuildWindow.ts). Default false.
   */
  rebuild?: boolean;
  /** Rebuild cut (unix seconds): events at or after it are live traffic's. Default: when the job first starts. */
  before?: number | undefined;
  /** Rebuild start (unix seconds): older data is kept as it is. Default: none (everything before the cut). */
  since?: number | undefined;
  /** Redis of the store, for `--rebuild`. Default: `REDIS_URL` from the environment. */
  redisUrl?: string | undefined;
  /** Key prefix of the store, for `--rebuild`. Default: `IPSCOPE_PREFIX`, else `ips`. */
  prefix?: string;
}

/** The result of {@link parseBackfillArgs}: options to run, or a request for help. */
export type BackfillArgs = { help: true } | { help: false; options: BackfillOptions };

export const DEFAULT_TOPIC = 'ipscope.backfill';
export const DEFAULT_CHECKPOINT_TOPIC = 'ipscope.backfill.checkpoints';
export const DEFAULT_CHUNK = 5000;
export const DEFAULT_PARTITIONS = 6;

/** Text of `ipscope backfill --help`. */
export const BACKFILL_USAGE = `usage: ipscope backfill [options] <file or folder>...
       ipscope backfill [options] --from-topic <topic> --format <format>

Replays archived logs (files, folders walked recursively, .gz included; Zeek
conn TSV and JSON, Suricata EVE, goflow2 JSON) into a Kafka topic that the
ingest workers consume. Interrupt it at any time and re-run the same command to
resume: nothing is sent twice. Malformed lines go to the dead-letter topic.

options:
  --brokers <host:port,...>  Kafka brokers (default: $KAFKA_BROKERS)
  --topic <name>             target topic (default: ${DEFAULT_TOPIC})
  --dlq <name>               dead-letter topic (default: <topic>.dlq)
  --checkpoint-topic <name>  checkpoint topic (default: ${DEFAULT_CHECKPOINT_TOPIC})
  --format <format>          auto, zeek, zeek-tsv, suricata, goflow2 for files (default: auto,
                             detected per file); zeek, suricata, goflow2, netevent with --from-topic
  --metrics <a,b,...>        fill only these metrics from the replayed events (default: all)
  --from-topic <name>        replay the retained history of a topic instead of files
  --job <id>                 job id (default: derived from inputs, topic, format and metrics)
  --restart                  ignore the job's checkpoint and send everything again
  --rebuild                  with --metrics: delete those metrics in the store over the window,
                             then replay only the window's events (a changed metric definition)
  --before <time>            rebuild cut: events at or after it are left to the live workers;
                             give the time the live workers started with the new definition
                             (default: when the job first starts). ISO 8601 or unix seconds;
                             rounded down to a bucket boundary of every interval of the metrics
  --since <time>             rebuild only from this time (default: everything before the cut);
                             rounded down like --before
  --redis <url>              Redis of the store, for --rebuild (default: $REDIS_URL)
  --prefix <prefix>          store key prefix, for --rebuild (default: $IPSCOPE_PREFIX or ips)
  --chunk <lines>            lines per transaction and checkpoint (default: ${DEFAULT_CHUNK})
  --partitions <n>           partitions of the target topic if it is created (default: ${DEFAULT_PARTITIONS})
  --json                     print the summary as one JSON object
  -h, --help                 show this help
`;

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^[^\s,:]+:\d{1,5}$/;
const JOB_ID = /^[A-Za-z0-9._-]{1,128}$/;
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

const VALUE_OPTIONS = new Set([
  '--brokers',
  '--topic',
  '--dlq',
  '--checkpoint-topic',
  '--format',
  '--metrics',
  '--from-topic',
  '--job',
  '--chunk',
  '--partitions',
  '--before',
  '--since',
  '--redis',
  '--prefix',
]);
const FLAG_OPTIONS = new Set(['--restart', '--json', '--help', '-h', '--rebuild']);
const PREFIX = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * Parses the arguments of `ipscope backfill`. Throws a {@link BackfillError}
 * with code `usage` whose message names the option at fault and what would
 * work.
 */
export function parseBackfillArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BackfillArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      inputs.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (FLAG_OPTIONS.has(name)) {
      if (eq !== -1) throw usage(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw usage(`unknown option ${name}; see ipscope backfill --help`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) throw usage(`${name} needs a value`);
    if (values.has(name)) throw usage(`${name} is given twice`);
    values.set(name, value);
  }
  if (flags.has('--help') || flags.has('-h')) return { help: true };

  const fromTopic = values.get('--from-topic');
  if (fromTopic !== undefined) {
    checkTopic('--from-topic', fromTopic);
    if (inputs.length > 0) throw usage(`--from-topic replays a topic and takes no files or folders, but got ${inputs.join(' ')}`);
  } else if (inputs.length === 0) {
    throw usage('name at least one file or folder to replay, or --from-topic <topic>');
  }

  const brokerText = values.get('--brokers') ?? env['KAFKA_BROKERS'];
  if (brokerText === undefined || brokerText.trim() === '') {
    throw usage('no Kafka brokers: pass --brokers host:port (e.g. --brokers 127.0.0.1:9092) or set KAFKA_BROKERS');
  }
  const brokers = brokerText.split(',').map((b) => b.trim());
  const badBroker = brokers.find((b) => !BROKER.test(b));
  if (badBroker !== undefined) {
    const from = values.has('--brokers') ? '--brokers' : 'KAFKA_BROKERS';
    throw usage(`${from}: ${JSON.stringify(badBroker)} is not host:port; expected e.g. 127.0.0.1:9092,127.0.0.1:9093`);
  }

  const topic = values.get('--topic') ?? DEFAULT_TOPIC;
  checkTopic('--topic', topic);
  const dlqTopic = values.get('--dlq') ?? `${topic}.dlq`;
  checkTopic('--dlq', dlqTopic);
  const checkpointTopic = values.get('--checkpoint-topic') ?? DEFAULT_CHECKPOINT_TOPIC;
  checkTopic('--checkpoint-topic', checkpointTopic);
  if (fromTopic === topic) throw usage(`--from-topic and --topic are both ${topic}: the replay would read its own output`);
  const distinct = new Set([topic, dlqTopic, checkpointTopic]);
  if (distinct.size !== 3) throw usage('--topic, --dlq and --checkpoint-topic must name three different topics');

  const format = values.get('--format') ?? (fromTopic === undefined ? 'auto' : undefined);
  if (format === undefined) {
    throw usage(`--from-topic needs --format: the format of the topic's messages, one of ${TOPIC_FORMATS.join(', ')}`);
  }
  const allowed = fromTopic === undefined ? FILE_FORMATS : TOPIC_FORMATS;
  const chosen = allowed.find((f) => f === format);
  if (chosen === undefined) {
    const what = fromTopic === undefined ? 'for files' : 'with --from-topic';
    throw usage(`--format ${JSON.stringify(format)} is not supported ${what}; use one of ${allowed.join(', ')}`);
  }

  const metrics = parseMetrics(values.get('--metrics'));
  const rebuild = flags.has('--rebuild');
  for (const name of ['--before', '--since', '--redis', '--prefix']) {
    if (!rebuild && values.has(name)) throw usage(`${name} only applies to --rebuild`);
  }
  if (rebuild && metrics === undefined) {
    throw usage('--rebuild needs --metrics: name the changed metrics to delete and fill again, e.g. --rebuild --metrics conn.bytes.orig');
  }
  const before = parseTime('--before', values.get('--before'));
  const since = parseTime('--since', values.get('--since'));
  if (before !== undefined && since !== undefined && since >= before) {
    throw usage(`--since (${new Date(since * 1000).toISOString()}) must be before --before (${new Date(before * 1000).toISOString()})`);
  }
  const redisUrl = values.get('--redis') ?? (rebuild ? env['REDIS_URL'] : undefined);
  if (rebuild && (redisUrl === undefined || !/^rediss?:\/\/\S+$/.test(redisUrl))) {
    const from = values.has('--redis') ? `--redis ${JSON.stringify(redisUrl)}` : 'REDIS_URL';
    throw usage(`--rebuild deletes in the store: ${redisUrl === undefined ? 'pass --redis redis://host:port or set REDIS_URL' : `${from} is not a redis:// URL, e.g. redis://127.0.0.1:6379`}`);
  }
  const prefix = values.get('--prefix') ?? env['IPSCOPE_PREFIX'] ?? 'ips';
  if (!PREFIX.test(prefix)) throw usage(`--prefix ${JSON.stringify(prefix)}: use 1..32 letters, digits, . _ - (the server's IPSCOPE_PREFIX, default ips)`);

  return {
    help: false,
    options: {
      inputs,
      fromTopic,
      brokers,
      topic,
      dlqTopic,
      checkpointTopic,
      format: chosen,
      metrics,
      job: parseJob(values.get('--job')),
      restart: flags.has('--restart'),
      chunk: parseInteger('--chunk', values.get('--chunk'), DEFAULT_CHUNK, 1, 1_000_000),
      partitions: parseInteger('--partitions', values.get('--partitions'), DEFAULT_PARTITIONS, 1, 1000),
      json: flags.has('--json'),
      rebuild,
      before,
      since,
      redisUrl: rebuild ? redisUrl : undefined,
      prefix,
    },
  };
}

/** A time as ISO 8601 (`2026-11-29T14:00:00Z`) or unix seconds; whole seconds. */
function parseTime(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let seconds: number;
  if (/^\d{1,12}$/.test(text)) seconds = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}/.test(text)) seconds = Date.parse(text) / 1000;
  else seconds = Number.NaN;
  if (!Number.isFinite(seconds)) {
    throw usage(`${name} ${JSON.stringify(text)} is not a time: use ISO 8601 with a zone (e.g. ${name} 2026-11-29T14:00:00Z) or unix seconds`);
  }
  if (/^\d{4}-\d{2}-\d{2}T[^Z+-]*$/.test(text)) {
    throw usage(`${name} ${JSON.stringify(text)} has no time zone; add Z or an offset, e.g. ${text}Z`);
  }
  return Math.floor(seconds);
}

function parseMetrics(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim());
  const bad = names.find((n) => !METRIC_NAME.test(n));
  if (bad !== undefined) {
    throw usage(`--metrics: ${JSON.stringify(bad)} is not a metric name (a letter, then letters, digits, _ . : -); e.g. --metrics conn_responded,bytes_out`);
  }
  return [...new Set(names)].sort();
}

function parseJob(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!JOB_ID.test(text)) throw usage(`--job ${JSON.stringify(text)}: use 1..128 letters, digits, . _ - (e.g. --job conn-2024-05)`);
  return text;
}

function parseInteger(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usage(`${name} ${JSON.stringify(text)} is not a whole number ${min}..${max}; e.g. ${name} ${fallback}`);
  }
  return n;
}

function checkTopic(name: string, topic: string): void {
  if (!TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw usage(`${name} ${JSON.stringify(topic)} is not a Kafka topic name (1..249 of A-Z a-z 0-9 . _ -)`);
  }
}

function usage(message: string): BackfillError {
  return new BackfillError('usage', message);
}
