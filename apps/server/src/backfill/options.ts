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
]);
const FLAG_OPTIONS = new Set(['--restart', '--json', '--help', '-h']);

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
      metrics: parseMetrics(values.get('--metrics')),
      job: parseJob(values.get('--job')),
      restart: flags.has('--restart'),
      chunk: parseInteger('--chunk', values.get('--chunk'), DEFAULT_CHUNK, 1, 1_000_000),
      partitions: parseInteger('--partitions', values.get('--partitions'), DEFAULT_PARTITIONS, 1, 1000),
      json: flags.has('--json'),
    },
  };
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
