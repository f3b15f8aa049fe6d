import type { Redis } from 'ioredis';

/** Bytes Redis has allocated (INFO memory used_memory). */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /used_memory:(\d+)/.exec(info);
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

/** Every key of the (private, benchmark-only) Redis, by SCAN. */
export async function allKeys(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 5000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

/** Sum of MEMORY USAGE (exact: SAMPLES 0) over keys. */
export async function memoryUsage(redis: Redis, keys: readonly string[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < keys.length; i += 2000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 2000)) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [error, bytes] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      total += Number(bytes ?? 0);
    }
  }
  return total;
}

/** Encodings of keys, counted (OBJECT ENCODING), e.g. {listpack: 900, hashtable: 12}. */
export async function encodings(redis: Redis, keys: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < keys.length; i += 2000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 2000)) pipeline.object('ENCODING', key);
    for (const [error, enc] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      out[String(enc)] = (out[String(enc)] ?? 0) + 1;
    }
  }
  return out;
}
