import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { LuaScript } from './luaScript';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

describe('LuaScript', () => {
  it('runs with as many arguments as a big batch brings (past what a spread call fits on the stack)', async () => {
    const script = new LuaScript(`local s = 0 for i = 1, #ARGV do s = s + tonumber(ARGV[i]) end return {#KEYS, #ARGV, s}`);
    const args = Array.from({ length: 600_000 }, (_, i) => i % 7);
    const expectedSum = args.reduce((a, b) => a + b, 0);
    // The first call loads the script (NOSCRIPT, then EVAL); the second runs it by its hash.
    expect(await script.run(redis, ['{t}a', '{t}b'], args)).toEqual([2, 600_000, expectedSum]);
    expect(await script.run(redis, ['{t}a', '{t}b'], args)).toEqual([2, 600_000, expectedSum]);
  });

  it('answers bulk strings as Buffers from runBuffer, with as many arguments', async () => {
    const script = new LuaScript(`return {#ARGV, ARGV[#ARGV]}`);
    const args = Array.from({ length: 300_000 }, (_, i) => `v${i}`);
    for (let round = 0; round < 2; round++) {
      const reply = (await script.runBuffer(redis, ['{t}a'], args)) as [number, Buffer];
      expect(reply[0]).toBe(300_000);
      expect(Buffer.isBuffer(reply[1])).toBe(true);
      expect(reply[1].toString()).toBe('v299999');
    }
  });
});
