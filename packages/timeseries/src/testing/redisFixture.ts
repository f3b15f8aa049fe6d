import { randomBytes } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';

/** A fresh key prefix, so tests sharing one Redis never see each other's data. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/** A connection to the shared test Redis. */
export function connect(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
}

/**
 * Every key of a store prefix (test cleanup and assertions only: SCAN is fine here, never on a
 * request path). Works on one Redis and on each master of a Cluster.
 */
export async function keysOf(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const nodes = 'nodes' in client && typeof client.nodes === 'function' && client.isCluster ? client.nodes('master') : [client as Redis];
  const out: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
      cursor = next;
      out.push(...batch);
    } while (cursor !== '0');
  }
  return out.sort();
}

/** Deletes every key of a store prefix. */
export async function dropPrefix(client: Redis | Cluster, prefix: string): Promise<void> {
  for (const key of await keysOf(client, prefix)) await client.unlink(key);
}
