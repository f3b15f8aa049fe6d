import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort, isPortOpen, waitFor } from './ports';
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

export function redisPing(port: number): boolean {
  const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', timeout: 2000 });
  return r.stdout?.trim() === 'PONG';
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
    await waitFor(`Redis on port ${port}`, async () => redisPing(port), { timeoutMs: 20_000 });
  } catch (error) {
    throw new Error(`Redis did not start on port ${port}: ${(error as Error).message}\n${tail(logFile)}`);
  }
  return {
    port,
    pid,
    dir: options.dir,
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopPid(pid),
  };
}
