import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedisCluster, type RunningRedisCluster } from '@ipscope/testkit';

/** A test file's own 3-master Redis Cluster, started in `beforeAll`. */
export interface PrivateClusterFixture {
  /** A cluster client reading from masters; only inside tests and hooks. */
  readonly client: Cluster;
  /** The running cluster (its startup nodes, for direct connections to one node). */
  readonly cluster: RunningRedisCluster;
}

/**
 * Registers the hooks of a test file that uses a real Redis Cluster: start it (redis-server in
 * cluster mode on loopback ports) before the tests, and stop it and remove its files after them.
 */
export function usePrivateCluster(label: string): PrivateClusterFixture {
  let dir: string | undefined;
  let cluster: RunningRedisCluster | undefined;
  let client: Cluster | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `ipscope-ts-${label}-`));
    cluster = await startRedisCluster(dir);
    client = new Cluster(cluster.startupNodes, { scaleReads: 'master' });
  });
  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`usePrivateCluster(${label}): the cluster starts in beforeAll; use it inside tests and hooks`);
    return value;
  };
  return {
    get client(): Cluster {
      return started(client);
    },
    get cluster(): RunningRedisCluster {
      return started(cluster);
    },
  };
}
