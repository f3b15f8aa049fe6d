import { describe, expect, it } from 'vitest';
import { BackfillError } from './backfillError';
import { parseBackfillArgs, type BackfillOptions } from './options';

const env = { KAFKA_BROKERS: '127.0.0.1:9092' };

function options(argv: string[], environment: Record<string, string | undefined> = env): BackfillOptions {
  const parsed = parseBackfillArgs(argv, environment);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.options;
}

function usageError(argv: string[], environment: Record<string, string | undefined> = env): string {
  try {
    parseBackfillArgs(argv, environment);
  } catch (caught) {
    expect(caught).toBeInstanceOf(BackfillError);
    expect((caught as BackfillError).code).toBe('usage');
    return (caught as BackfillError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseBackfillArgs', () => {
  it('fills in the documented defaults', () => {
    expect(options(['/data/zeek'])).toEqual({
      inputs: ['/data/zeek'],
      fromTopic: undefined,
      brokers: ['127.0.0.1:9092'],
      topic: 'ipscope.backfill',
      dlqTopic: 'ipscope.backfill.dlq',
      checkpointTopic: 'ipscope.backfill.checkpoints',
      format: 'auto',
      metrics: undefined,
      job: undefined,
      restart: false,
      chunk: 5000,
      partitions: 6,
      json: false,
      rebuild: false,
      before: undefined,
      since: undefined,
      redisUrl: undefined,
      prefix: 'ips',
    });
  });

  it('reads a rebuild: metrics, window (ISO 8601 or unix seconds), Redis and prefix from options or the environment', () => {
    expect(options(['x', '--rebuild', '--metrics', 'conn.bytes.orig', '--before', '2026-11-29T14:00:00Z', '--since=1764374400', '--redis', 'redis://127.0.0.1:7000', '--prefix', 'p1'])).toMatchObject({
      rebuild: true,
      metrics: ['conn.bytes.orig'],
      before: Date.UTC(2026, 10, 29, 14) / 1000,
      since: 1764374400,
      redisUrl: 'redis://127.0.0.1:7000',
      prefix: 'p1',
    });
    expect(options(['x', '--rebuild', '--metrics', 'm', '--before', '2026-11-29T15:00:00+01:00'], { ...env, REDIS_URL: 'redis://h:1', IPSCOPE_PREFIX: 'q' })).toMatchObject({
      before: Date.UTC(2026, 10, 29, 14) / 1000,
      since: undefined,
      redisUrl: 'redis://h:1',
      prefix: 'q',
    });
  });

  it.each([
    [['x', '--rebuild'], /--rebuild needs --metrics/],
    [['x', '--before', '1700000000'], /--before only applies to --rebuild/],
    [['x', '--metrics', 'm', '--redis', 'redis://h:1'], /--redis only applies to --rebuild/],
    [['x', '--rebuild', '--metrics', 'm', '--before', 'yesterday'], /--before "yesterday" is not a time/],
    [['x', '--rebuild', '--metrics', 'm', '--before', '2026-11-29T14:00:00'], /has no time zone; add Z/],
    [['x', '--rebuild', '--metrics', 'm', '--before', '1700000000', '--since', '1700000000'], /--since .* must be before --before/],
    [['x', '--rebuild', '--metrics', 'm', '--redis', 'http://h:1'], /--redis "http:\/\/h:1" is not a redis:\/\/ URL/],
    [['x', '--rebuild', '--metrics', 'm', '--prefix', 'a b'], /--prefix "a b"/],
  ])('refuses the rebuild %j', (argv, message) => {
    expect(usageError(argv, { ...env, REDIS_URL: 'redis://127.0.0.1:6379' })).toMatch(message);
  });

  it('needs a Redis for a rebuild', () => {
    expect(usageError(['x', '--rebuild', '--metrics', 'm'])).toMatch(/pass --redis redis:\/\/host:port or set REDIS_URL/);
  });

  it('reads every option, in both --name value and --name=value forms', () => {
    const o = options([
      'a.log',
      '--brokers=10.0.0.1:9092,10.0.0.2:9093',
      '--topic',
      'bf',
      '--format',
      'zeek-tsv',
      '--metrics',
      'bytes_out, conn_responded,bytes_out',
      '--job=my-job',
      '--restart',
      '--chunk',
      '100',
      '--partitions',
      '12',
      '--json',
      'b.log.gz',
      '--',
      '--weird-name.log',
    ]);
    expect(o).toMatchObject({
      inputs: ['a.log', 'b.log.gz', '--weird-name.log'],
      brokers: ['10.0.0.1:9092', '10.0.0.2:9093'],
      topic: 'bf',
      dlqTopic: 'bf.dlq',
      format: 'zeek-tsv',
      metrics: ['bytes_out', 'conn_responded'],
      job: 'my-job',
      restart: true,
      chunk: 100,
      partitions: 12,
      json: true,
    });
  });

  it('replays a topic with an explicit format', () => {
    expect(options(['--from-topic', 'zeek.conn', '--format', 'zeek'])).toMatchObject({ inputs: [], fromTopic: 'zeek.conn', format: 'zeek' });
  });

  it('asks for help', () => {
    expect(parseBackfillArgs(['--help'], {})).toEqual({ help: true });
    expect(parseBackfillArgs(['x', '-h'], {})).toEqual({ help: true });
  });

  it.each([
    [[], /at least one file or folder/],
    [['x', '--nope'], /unknown option --nope/],
    [['x', '--topic'], /--topic needs a value/],
    [['x', '--topic', '--json'], /--topic needs a value/],
    [['x', '--topic', 'a b'], /--topic "a b" is not a Kafka topic name/],
    [['x', '--topic', 'a', '--topic', 'b'], /--topic is given twice/],
    [['x', '--json=yes'], /--json takes no value/],
    [['x', '--chunk', '0'], /--chunk "0" is not a whole number 1\.\.1000000/],
    [['x', '--chunk', '1e3'], /--chunk "1e3"/],
    [['x', '--partitions', '-1'], /--partitions needs a value|--partitions "-1"/],
    [['x', '--format', 'pcap'], /--format "pcap" is not supported for files; use one of auto, zeek, zeek-tsv, suricata, goflow2/],
    [['x', '--format', 'netevent'], /not supported for files/],
    [['x', '--metrics', 'ok,9bad'], /--metrics: "9bad" is not a metric name/],
    [['x', '--job', 'has space'], /--job "has space"/],
    [['x', '--brokers', 'localhost'], /--brokers: "localhost" is not host:port/],
    [['x', '--topic', 't', '--dlq', 't'], /three different topics/],
    [['--from-topic', 't'], /--from-topic needs --format/],
    [['--from-topic', 't', '--format', 'zeek-tsv'], /--format "zeek-tsv" is not supported with --from-topic/],
    [['--from-topic', 't', '--format', 'zeek', 'file.log'], /takes no files or folders/],
    [['--from-topic', 'bf', '--topic', 'bf', '--format', 'zeek'], /would read its own output/],
  ])('refuses %j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('names KAFKA_BROKERS when it is missing or malformed', () => {
    expect(usageError(['x'], {})).toMatch(/--brokers host:port .* or set KAFKA_BROKERS/);
    expect(usageError(['x'], { KAFKA_BROKERS: 'a:1,,b:2' })).toMatch(/^KAFKA_BROKERS: "" is not host:port/);
  });
});
