import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { parseHashDump } from './hashDump';

/** The DUMP reader against Redis's own HGETALL of the same hashes. */
const redis = new Redis(inject('redisUrl'));
const prefix = `tsdump${Math.floor(Math.random() * 1e9)}`;
const made: string[] = [];
afterAll(async () => {
  if (made.length > 0) await redis.unlink(...made);
  redis.disconnect();
});

function key(name: string): string {
  const k = `${prefix}:${name}`;
  made.push(k);
  return k;
}

async function compare(key: string): Promise<Buffer | null> {
  const dump = await redis.dumpBuffer(key);
  const parsed = dump === null ? null : parseHashDump(dump);
  if (parsed === null) return null;
  const all = await redis.hgetall(key);
  const pairs: Record<string, string> = {};
  for (let i = 0; i < parsed.length; i += 2) pairs[String(parsed[i])] = String(parsed[i + 1]);
  expect(pairs).toEqual(all);
  return dump;
}

describe('parseHashDump', () => {
  it.each([
    ['small integers', Array.from({ length: 40 }, (_, i) => [String(i * 3), String(i)])],
    ['every integer width', [['1', '127'], ['2', '128'], ['3', '-1'], ['4', '-4096'], ['5', '4095'], ['6', '32767'], ['7', '-32768'], ['8', '8388607'], ['9', '-8388608'], ['10', '2147483647'], ['11', '-2147483648'], ['12', '9007199254740991'], ['13', '-9007199254740991'], ['14', '1152921504606846976'], ['15', '-1152921504606846976']]],
    ['text values', [['100', '0.25'], ['101', '1,2,3'], ['102', '-0'], ['103', '007'], ['104', 'x'.repeat(60)], ['105', '']]],
    ['a long compressible listpack', Array.from({ length: 300 }, (_, i) => [String(10_000 + i), '12345,12345'])],
  ])('reads %s exactly as HGETALL', async (name, pairs) => {
    const k = key(name.replace(/ /g, '-'));
    await redis.hset(k, ...pairs.flat());
    expect(await redis.object('ENCODING', k)).toBe('listpack');
    const dump = await compare(k);
    expect(dump).not.toBeNull();
    // the long one is stored LZF-compressed in the dump (RDB string encoding 0xC3)
    if (name.includes('compressible')) expect(dump?.[1]).toBe(0xc3);
  });

  it('gives null for a hash stored as a hash table, and for a key of another type', async () => {
    const big = key('big');
    await redis.hset(big, '1', 'y'.repeat(100));
    expect(await redis.object('ENCODING', big)).toBe('hashtable');
    expect(parseHashDump((await redis.dumpBuffer(big)) as Buffer)).toBeNull();
    const zkey = key('z');
    await redis.zadd(zkey, 1, 'a');
    expect(parseHashDump((await redis.dumpBuffer(zkey)) as Buffer)).toBeNull();
  });

  it('gives null for a cut payload or a wrong listpack size', async () => {
    const cut = key('cut');
    await redis.hset(cut, '1', '2', '3', '4');
    const dump = (await redis.dumpBuffer(cut)) as Buffer;
    expect(parseHashDump(dump)).not.toBeNull();
    expect(parseHashDump(dump.subarray(0, dump.length - 12))).toBeNull();
    const broken = Buffer.from(dump);
    broken[3] = 0xfe;
    expect(parseHashDump(broken)).toBeNull();
  });
});
