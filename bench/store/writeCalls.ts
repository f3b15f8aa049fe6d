/**
 * What the store's write diagnostics (writeBeforeAfter.ts, writeReplay.ts, writeOpCost.ts) share:
 * the Redis encodings they run on, the recording of the store's write-script calls, and a median.
 */
import type { Redis } from 'ioredis';
import { IPSCOPE_REDIS_CONFIG } from '@ipscope/testkit';

/**
 * Redis's own defaults for the encodings ipscope tunes, given explicitly: testkit gives a server
 * started with an empty `config` ipscope's settings, not Redis's defaults.
 */
const REDIS_DEFAULT_ENCODINGS = { 'hash-max-listpack-entries': '128', 'zset-max-listpack-entries': '128', 'set-max-intset-entries': '512' };

/** The encodings a diagnostic's redis-server runs with: Redis's defaults with `BENCH_REDIS_DEFAULTS=1`, else ipscope's settings. */
export function benchEncodings(): { name: string; config: Record<string, string> } {
  return process.env['BENCH_REDIS_DEFAULTS'] === '1'
    ? { name: 'redis defaults', config: { ...REDIS_DEFAULT_ENCODINGS } }
    : { name: 'ipscope settings', config: { ...IPSCOPE_REDIS_CONFIG } };
}

/** One EVALSHA as the store sent it: sha, number of keys, then keys and arguments. */
export type WriteCall = (string | number)[];

/** The write-script calls sent through one client, grouped by the caller (`take` after each batch). */
export interface WriteCallRecorder {
  /** The calls since the last `take` (one batch's scripts), which start a new group. */
  take(): WriteCall[];
  /** Keys and script arguments of every call recorded. */
  readonly keys: number;
  readonly args: number;
}

/** Records every EVALSHA sent through `client` (which still sends it): a store created on `client` can then be replayed. */
export function recordWriteCalls(client: Redis): WriteCallRecorder {
  let current: WriteCall[] = [];
  const counts = { keys: 0, args: 0 };
  const evalsha = client.evalsha.bind(client) as (...a: unknown[]) => Promise<unknown>;
  (client as unknown as { evalsha: (...a: unknown[]) => Promise<unknown> }).evalsha = (...a: unknown[]) => {
    const flat: WriteCall = [];
    for (const x of a) {
      if (Array.isArray(x)) for (const y of x as WriteCall) flat.push(y);
      else flat.push(x as string | number);
    }
    current.push(flat);
    counts.keys += Number(flat[1]);
    counts.args += flat.length - 2 - Number(flat[1]);
    return evalsha(...a);
  };
  return {
    take: () => {
      const taken = current;
      current = [];
      return taken;
    },
    get keys() {
      return counts.keys;
    },
    get args() {
      return counts.args;
    },
  };
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}
