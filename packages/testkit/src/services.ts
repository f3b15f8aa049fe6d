import fs from 'node:fs';
import path from 'node:path';
import { isPidAlive, isPortOpen } from './ports';
import { startRedisServer, redisPing, redisState, waitForRedis } from './redisServer';
import { startKafkaBroker } from './kafkaBroker';
import { stopPid } from './processes';
import { cacheDir, stateDir } from './paths';

/** Where ipscope's backing services are; what every role, test and benchmark connects to. */
export interface ServiceEndpoints {
  redisUrl: string;
  kafkaBrokers: string;
}

interface ServiceState {
  redis?: { port: number; pid: number };
  kafka?: { port: number; controllerPort: number; pid: number };
}

const stateFile = () => path.join(stateDir(), 'services.json');

function readState(): ServiceState {
  try {
    return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as ServiceState;
  } catch {
    return {};
  }
}

function writeState(state: ServiceState): void {
  fs.mkdirSync(stateDir(), { recursive: true });
  fs.writeFileSync(stateFile(), JSON.stringify(state, null, 2));
}

/** A cross-process lock (mkdir is atomic), so parallel callers do not start two brokers. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(stateDir(), { recursive: true });
  const lock = path.join(stateDir(), 'services.lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`ipscope: timed out waiting for ${lock}; remove it if no other start is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function portFreeOr<T>(port: number | undefined, fallback: T): Promise<number | T> {
  return port !== undefined && !(await isPortOpen(port)) ? port : fallback;
}

/**
 * Makes sure Redis and Kafka are running and returns where they are. Idempotent:
 * services this project started earlier are reused while they answer. When
 * REDIS_URL or KAFKA_BROKERS is set, that service is used as it is and nothing is started.
 */
export async function ensureServices(log: (line: string) => void = () => undefined): Promise<ServiceEndpoints> {
  return withLock(async () => {
    const state = readState();
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const dir = path.join(stateDir(), 'redis');
      if (state.redis && isPidAlive(state.redis.pid) && redisState(state.redis.port) !== 'down') {
        await waitForRedis(state.redis.port, state.redis.pid, path.join(dir, 'redis.log'), log);
        log(`redis: reusing 127.0.0.1:${state.redis.port} (pid ${state.redis.pid})`);
      } else {
        const redis = await startRedisServer({ dir, port: await portFreeOr(state.redis?.port, undefined), log });
        state.redis = { port: redis.port, pid: redis.pid };
        writeState(state);
        log(`redis: started on 127.0.0.1:${redis.port} (pid ${redis.pid}, data in ${redis.dir})`);
      }
      redisUrl = `redis://127.0.0.1:${state.redis.port}`;
    }
    let kafkaBrokers = process.env.KAFKA_BROKERS;
    if (!kafkaBrokers) {
      if (state.kafka && isPidAlive(state.kafka.pid) && (await isPortOpen(state.kafka.port))) {
        log(`kafka: reusing 127.0.0.1:${state.kafka.port} (pid ${state.kafka.pid})`);
      } else {
        const kafka = await startKafkaBroker({
          dir: path.join(stateDir(), 'kafka'),
          jarCacheDir: cacheDir(),
          port: await portFreeOr(state.kafka?.port, undefined),
          controllerPort: await portFreeOr(state.kafka?.controllerPort, undefined),
        });
        state.kafka = { port: kafka.port, controllerPort: kafka.controllerPort, pid: kafka.pid };
        writeState(state);
        log(`kafka: started on ${kafka.brokers} (pid ${kafka.pid}, Apache Kafka KRaft, data in ${kafka.dir})`);
      }
      kafkaBrokers = `127.0.0.1:${state.kafka.port}`;
    }
    return { redisUrl, kafkaBrokers };
  });
}

/** Stops the services this project started (never ones given by REDIS_URL / KAFKA_BROKERS). */
export async function stopServices(log: (line: string) => void = () => undefined): Promise<void> {
  await withLock(async () => {
    const state = readState();
    if (state.kafka && isPidAlive(state.kafka.pid)) {
      await stopPid(state.kafka.pid, 30_000);
      log(`kafka: stopped (pid ${state.kafka.pid})`);
    }
    if (state.redis && isPidAlive(state.redis.pid)) {
      await stopPid(state.redis.pid);
      log(`redis: stopped (pid ${state.redis.pid})`);
    }
    writeState({ redis: state.redis && { ...state.redis, pid: 0 }, kafka: state.kafka && { ...state.kafka, pid: 0 } });
  });
}

export async function serviceStatus(): Promise<{ redis: string; kafka: string }> {
  const state = readState();
  const redis = process.env.REDIS_URL
    ? `external ${process.env.REDIS_URL}`
    : state.redis && isPidAlive(state.redis.pid) && redisPing(state.redis.port)
      ? `up on 127.0.0.1:${state.redis.port}`
      : 'down';
  const kafka = process.env.KAFKA_BROKERS
    ? `external ${process.env.KAFKA_BROKERS}`
    : state.kafka && isPidAlive(state.kafka.pid) && (await isPortOpen(state.kafka.port))
      ? `up on 127.0.0.1:${state.kafka.port}`
      : 'down';
  return { redis, kafka };
}
