import { z } from 'zod';
import { parseTopics, type TopicSpec } from '../ingest/topics';

/**
 * Server configuration, read once from the environment at start-up.
 *
 * | variable              | default                  | meaning                                              |
 * |-----------------------|--------------------------|------------------------------------------------------|
 * | REDIS_URL             | (started by ipscope)     | Redis to store series in                             |
 * | KAFKA_BROKERS         | (started by ipscope)     | comma-separated host:port list                       |
 * | IPSCOPE_HOST          | 127.0.0.1                | address the HTTP server binds to                     |
 * | IPSCOPE_PORT          | 8787                     | HTTP port (0 = any free port)                        |
 * | IPSCOPE_ROLES         | api,ingest,detect        | roles this process runs: api, ingest, detect         |
 * | IPSCOPE_ALERT_THRESHOLD | 0.4                    | anomaly score in (0, 1) at which a bucket is anomalous |
 * | IPSCOPE_WEBHOOK_URL   | (none)                   | http(s) URL alert events are POSTed to               |
 * | IPSCOPE_TOPIC         | zeek.conn                | Kafka topic of live Zeek conn records (JSON)         |
 * | IPSCOPE_TOPICS        | <IPSCOPE_TOPIC>:zeek,    | every consumed topic with its format, `topic:format` |
 * |                       | ipscope.backfill:netevent| (zeek, suricata, goflow2, netevent)                  |
 * | IPSCOPE_FETCH_BYTES   | 8388608                  | most bytes fetched per partition and batch           |
 * | IPSCOPE_GROUP         | ipscope-ingest           | Kafka consumer group of the ingest workers           |
 * | IPSCOPE_PREFIX        | ips                      | Redis key prefix                                     |
 * | IPSCOPE_WEB_DIST      | apps/web/dist if built   | built web app to serve from the same origin          |
 */
export interface ServerConfig {
  redisUrl: string;
  kafkaBrokers: string[];
  host: string;
  port: number;
  roles: Array<'api' | 'ingest' | 'detect'>;
  alertThreshold: number | undefined;
  webhookUrl: string | undefined;
  topic: string;
  topics: TopicSpec[];
  group: string;
  fetchBytes: number;
  prefix: string;
  webDist: string | undefined;
}

const schema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'must be a comma-separated host:port list, e.g. 127.0.0.1:9092'),
  IPSCOPE_HOST: z.string().min(1).default('127.0.0.1'),
  IPSCOPE_PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(8787),
  IPSCOPE_ROLES: z
    .string()
    .default('api,ingest,detect')
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['api', 'ingest', 'detect'], { error: 'roles are api, ingest and detect' })).min(1, 'name at least one role: api, ingest, detect')),
  IPSCOPE_ALERT_THRESHOLD: z.coerce.number({ error: 'must be a number between 0 and 1, e.g. 0.4' }).gt(0, 'must be above 0, e.g. 0.4').lt(1, 'must be below 1, e.g. 0.4').optional(),
  IPSCOPE_WEBHOOK_URL: z.string().url('must be an http(s) URL').regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  IPSCOPE_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a valid Kafka topic name').default('zeek.conn'),
  IPSCOPE_TOPICS: z.string().optional(),
  IPSCOPE_FETCH_BYTES: z.coerce.number().int('must be a whole number of bytes').min(1024, 'must be at least 1024').max(1 << 30, 'must be at most 1 GiB').default(8 * 1024 * 1024),
  IPSCOPE_GROUP: z.string().min(1).default('ipscope-ingest'),
  IPSCOPE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits, . _ - (at most 32)').default('ips'),
  IPSCOPE_WEB_DIST: z.string().optional(),
});

export class ConfigError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`invalid configuration: ${field}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; the first problem stops start-up with the variable's name. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'environment');
    const reason = issue.code === 'invalid_type' && env[field] === undefined ? 'is required' : issue.message;
    throw new ConfigError(field, reason);
  }
  const c = parsed.data;
  let topics: TopicSpec[];
  try {
    topics = parseTopics(c.IPSCOPE_TOPICS ?? `${c.IPSCOPE_TOPIC}:zeek,ipscope.backfill:netevent`);
  } catch (error) {
    throw new ConfigError('IPSCOPE_TOPICS', (error as Error).message);
  }
  return {
    redisUrl: c.REDIS_URL,
    kafkaBrokers: c.KAFKA_BROKERS.split(','),
    host: c.IPSCOPE_HOST,
    port: c.IPSCOPE_PORT,
    roles: c.IPSCOPE_ROLES,
    alertThreshold: c.IPSCOPE_ALERT_THRESHOLD,
    webhookUrl: c.IPSCOPE_WEBHOOK_URL,
    topic: c.IPSCOPE_TOPIC,
    topics,
    group: c.IPSCOPE_GROUP,
    fetchBytes: c.IPSCOPE_FETCH_BYTES,
    prefix: c.IPSCOPE_PREFIX,
    webDist: c.IPSCOPE_WEB_DIST,
  };
}
