/** CPU time of a Redis server, from its `INFO cpu`: what the benchmarks measure Redis's share of a workload with. */
import type { Redis } from 'ioredis';

function field(info: string, name: string): number {
  const value = new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1];
  if (value === undefined) throw new Error(`INFO cpu: no ${name} field in ${JSON.stringify(info.slice(0, 200))}`);
  return Number(value);
}

/** CPU seconds (user + system) a Redis server has used, from its `INFO cpu` text. */
export function redisCpuSeconds(info: string): number {
  return field(info, 'used_cpu_user') + field(info, 'used_cpu_sys');
}

/** CPU milliseconds (user + system) the Redis server behind `redis` has used so far. */
export async function redisCpuMs(redis: Redis): Promise<number> {
  return redisCpuSeconds(await redis.info('cpu')) * 1000;
}
