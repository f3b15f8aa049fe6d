import type { Redis } from 'ioredis';

/**
 * Walking-skeleton storage: per responder IP, connections responded to per minute.
 * A hash per IP (field = minute start, value = count) and a sorted set of totals
 * for "busiest IPs". Replaced by packages/timeseries once the store lands.
 */
export class ConnCounts {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private seriesKey(ip: string): string {
    return `${this.prefix}:skel:{${ip}}:resp`;
  }

  private get topKey(): string {
    return `${this.prefix}:skel:top`;
  }

  /** Adds pre-aggregated counts: ip → minute start → connections. */
  async add(counts: Map<string, Map<number, number>>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [ip, minutes] of counts) {
      let total = 0;
      for (const [minute, n] of minutes) {
        pipeline.hincrby(this.seriesKey(ip), String(minute), n);
        total += n;
      }
      pipeline.zincrby(this.topKey, total, ip);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async top(limit: number): Promise<Array<{ ip: string; connections: number }>> {
    const flat = await this.redis.zrevrange(this.topKey, 0, limit - 1, 'WITHSCORES');
    const out: Array<{ ip: string; connections: number }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ ip: flat[i]!, connections: Number(flat[i + 1]) });
    return out;
  }

  /** Minute buckets in [from, to), empty minutes filled with 0. */
  async series(ip: string, from: number, to: number): Promise<Array<[number, number]>> {
    const all = await this.redis.hgetall(this.seriesKey(ip));
    const points: Array<[number, number]> = [];
    for (let t = Math.floor(from / 60) * 60; t < to; t += 60) points.push([t, Number(all[String(t)] ?? 0)]);
    return points;
  }
}
