import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort, isPidAlive, isPortOpen } from './ports';
import { hasCommand, spawnDetached, stopPid, tail } from './processes';

export interface RedisServerOptions {
  /** Folder for data, AOF and the log. Created if missing. */
  dir: string;
  /** Loopback port; default: a free one. */
  port?: number;
  /** Append-only file with fsync every second (default true): what ipscope runs with. */
  appendonly?: boolean;
  /** Start as a Redis Cluster node (cluster-enabled yes). Default false. */
  clusterNode?: boolean;
  /**
   * More redis-server settings, e.g. `{'hash-max-listpack-entries': '128'}`; they override
   * {@link IPSCOPE_REDIS_CONFIG}.
   */
  config?: Record<string, string>;
  /** Progress lines while a large data set loads (every 10 s). */
  log?: (line: string) => void;
}

/**
 * What ipscope's Redis runs with besides the defaults: larger listpack and intset limits, so the
 * time-series store's chunk hashes, per-shard indexes and rosters stay in their compact encodings
 * (packages/timeseries works on a default Redis too, with more bytes per bucket; see
 * docs/BENCHMARKS.md, Store).
 */
export const IPSCOPE_REDIS_CONFIG: Readonly<Record<string, string>> = {
  'hash-max-listpack-entries': '512',
  'zset-max-listpack-entries': '1024',
  'set-max-intset-entries': '4096',
};

export interface RunningRedis {
  port: number;
  pid: number;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export const redisInstallHint =
  'redis-server was not found. Install it with: apt-get update && apt-get install -y redis-server ' +
  '(or set REDIS_URL to use an existing Redis).';

/** What the Redis on a loopback port answers to PING: ready, still loading its data, or nothing. */
export function redisState(port: number): 'ready' | 'loading' | 'down' {
  const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', timeout: 2000 });
  const reply = r.stdout?.trim() ?? '';
  if (reply === 'PONG') return 'ready';
  return reply.startsWith('LOADING') ? 'loading' : 'down';
}

export function redisPing(port: number): boolean {
  return redisState(port) === 'ready';
}

/** How long a Redis may take to answer at all, and to load its AOF/RDB once it answers LOADING. */
const ANSWER_TIMEOUT_MS = 20_000;
const LOAD_TIMEOUT_MS = 15 * 60_000;

/**
 * Waits until the Redis process `pid` on `port` answers PING. A Redis replaying a large append-only
 * file answers LOADING for as long as that takes (a 900 MB file took 27 s here): that counts as
 * progress, up to 15 minutes; silence counts only for 20 s. Throws with the log's tail if the process
 * exits or a limit passes.
 */
export async function waitForRedis(port: number, pid: number, logFile: string, log: (line: string) => void = () => undefined): Promise<void> {
  const started = Date.now();
  let reported = started;
  for (;;) {
    if (!isPidAlive(pid)) throw new Error(`Redis on port ${port} exited while starting\n${tail(logFile)}`);
    const state = redisState(port);
    if (state === 'ready') return;
    const waited = Date.now() - started;
    if (state === 'down' && waited > ANSWER_TIMEOUT_MS) {
      throw new Error(`Redis on port ${port} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s\n${tail(logFile)}`);
    }
    if (state === 'loading') {
      if (waited > LOAD_TIMEOUT_MS) throw new Error(`Redis on port ${port} was still loading its data after ${LOAD_TIMEOUT_MS / 60_000} minutes`);
      if (Date.now() - reported >= 10_000) {
        reported = Date.now();
        log(`redis: loading its data on 127.0.0.1:${port} (${Math.round(waited / 1000)} s so far)`);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts Debian's redis-server on 127.0.0.1 and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions): Promise<RunningRedis> {
  if (!hasCommand('redis-server')) throw new Error(redisInstallHint);
  const port = options.port ?? (await freePort());
  if (await isPortOpen(port)) {
    throw new Error(`Redis: port ${port} on 127.0.0.1 is already taken; stop what uses it or choose another port.`);
  }
  fs.mkdirSync(options.dir, { recursive: true });
  const logFile = path.join(options.dir, 'redis.log');
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', options.dir,
    '--daemonize', 'no',
    '--save', '',
    '--appendonly', options.appendonly === false ? 'no' : 'yes',
    '--appendfsync', 'everysec',
    '--logfile', logFile,
    '--maxmemory-policy', 'noeviction',
  ];
  for (const [name, value] of Object.entries({ ...IPSCOPE_REDIS_CONFIG, ...options.config })) args.push(`--${name}`, value);
  if (options.clusterNode) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', path.join(options.dir, 'nodes.conf'), '--cluster-node-timeout', '5000');
  }
  const pid = spawnDetached('redis-server', args, path.join(options.dir, 'redis.stdout.log'));
  try {
    await waitForRedis(port, pid, logFile, options.log);
  } catch (error) {
    await stopPid(pid);
    const stdout = tail(path.join(options.dir, 'redis.stdout.log'));
    throw new Error(`Redis did not start on port ${port}: ${(error as Error).message}${stdout === '(no log)' ? '' : `\n${stdout}`}`);
  }
  return {
    port,
    pid,
    dir: options.dir,
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopPid(pid),
  };
}
