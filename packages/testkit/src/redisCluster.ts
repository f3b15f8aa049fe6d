import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { waitFor } from './ports';
import { startRedisServer, type RunningRedis } from './redisServer';

export interface RunningRedisCluster {
  nodes: RunningRedis[];
  /** Seed nodes for ioredis' Cluster constructor. */
  startupNodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

function clusterState(port: number): string {
  const r = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8', timeout: 2000 });
  return /cluster_state:(\w+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

/**
 * Starts a real Redis Cluster of `masters` redis-server processes (no replicas) on
 * free loopback ports, joins them with `redis-cli --cluster create`, and waits
 * until every node reports cluster_state:ok.
 */
export async function startRedisCluster(dir: string, masters = 3): Promise<RunningRedisCluster> {
  const nodes: RunningRedis[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(await startRedisServer({ dir: path.join(dir, `node-${i}`), clusterNode: true, appendonly: false }));
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    await waitFor('Redis Cluster state ok', async () => nodes.every((n) => clusterState(n.port) === 'ok'), { timeoutMs: 30_000 });
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  return {
    nodes,
    startupNodes: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
