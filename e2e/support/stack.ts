import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { connectProducer, ensureServices, ensureTopic, publishRecords, repoRoot, waitFor, type ServiceEndpoints, type ZeekConnRecord } from '@ipscope/testkit';

export interface StackOptions {
  /** Kafka topic the records go to (created fresh, 3 partitions) and the server consumes. */
  topic: string;
  /** Redis key prefix of the server's store and alerts. */
  prefix: string;
  /** Consumer group of the server's ingest worker. */
  group: string;
  port: number;
  records: Iterable<ZeekConnRecord>;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  endpoints: ServiceEndpoints;
  published: number;
  server: ChildProcess;
  /** Stops the server and deletes the run's Redis keys (the shared Redis outlives the run). */
  stop(): Promise<void>;
}

/**
 * Real Redis and Kafka (started or reused), the records published to a fresh topic, and
 * the production server (API, ingest and the built web app, `apps/server/src/main.ts`)
 * consuming it on 127.0.0.1:`port`. Resolves once `/healthz` answers.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const endpoints = await ensureServices((line) => log(`ipscope: ${line}`));
  await ensureTopic(endpoints.kafkaBrokers, options.topic, 3);
  const producer = await connectProducer(endpoints.kafkaBrokers);
  const published = await publishRecords(producer, options.topic, options.records);
  await producer.disconnect();
  log(`ipscope e2e: published ${published} records to ${options.topic}`);

  // IPSCOPE_E2E_SERVER: another entry point with the same environment contract (development only).
  const server = spawn('node_modules/.bin/tsx', [process.env.IPSCOPE_E2E_SERVER ?? 'apps/server/src/main.ts'], {
    cwd: repoRoot(),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      REDIS_URL: endpoints.redisUrl,
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      IPSCOPE_HOST: '127.0.0.1',
      // No detector: its alerts would depend on timing; the specs seed the alert they need through the real alert store.
      IPSCOPE_ROLES: 'api,ingest',
      IPSCOPE_PORT: String(options.port),
      IPSCOPE_TOPIC: options.topic,
      IPSCOPE_TOPICS: `${options.topic}:zeek`,
      IPSCOPE_GROUP: options.group,
      IPSCOPE_PREFIX: options.prefix,
    },
  });
  const url = `http://127.0.0.1:${options.port}`;
  let exited = false;
  const exit = new Promise<never>((_resolve, reject) =>
    server.once('exit', (code) => {
      exited = true;
      reject(new Error(`the server exited during start-up (code ${code ?? 'signal'}); its log is above`));
    }),
  );
  exit.catch(() => undefined);
  await Promise.race([
    exit,
    waitFor(`the server on ${url}`, async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 120_000 }),
  ]);
  return {
    url,
    endpoints,
    published,
    server,
    stop: async () => {
      if (!exited) {
        const done = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await done;
      }
      await deleteRunKeys(endpoints.redisUrl, options.prefix);
    },
  };
}

/** Deletes the keys under a run's prefix (all of them start with `{<prefix>`); clean-up only, never on a request path. */
async function deleteRunKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
