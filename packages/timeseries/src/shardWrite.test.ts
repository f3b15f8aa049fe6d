import { describe, expect, it } from 'vitest';
import { ShardWriteBuilder } from './shardWrite';
import { KeyScheme } from './keyScheme';
import { resolveOptions } from './options';
import { checkSample, EntityKeys, type Sample } from './sample';

const config = resolveOptions({
  prefix: 'p',
  shards: 1,
  metrics: { bytes: { type: 'count' }, lens: { type: 'series' } },
  intervals: { min: { step: 60, steps: 10 } },
});
const keys = new KeyScheme('p', 1);
const T = 6000;

function build(samples: Sample[], newest: number) {
  const b = new ShardWriteBuilder(0, config, keys, newest, new Map([['bytes', 0], ['lens', 1]]));
  const entities = new EntityKeys();
  samples.forEach((s, i) => b.add(checkSample(s, i, config, entities, Date.now() / 1000), i));
  return b.build();
}

/** The operations of one kind, as [key, fields] pairs. */
function ops(write: ReturnType<typeof build>, op: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  let i = 0;
  while (i < write.ops.length) {
    const o = write.ops[i] as string;
    const key = write.keys[Number(write.ops[i + 1]) - 1] as string;
    if (o === 'R') i += 3;
    else if (o === 'T') i += 5;
    else {
      const n = Number(write.ops[i + 2]);
      if (o === 'V') {
        // V k adds appends sets, then the pairs
        const [a, c, s] = write.ops.slice(i + 2, i + 5).map(Number) as [number, number, number];
        const end = i + 5 + 2 * (a + c + s);
        if (o === op) out.push([key, write.ops.slice(i + 2, end)]);
        i = end;
        continue;
      }
      if (o === 'L') {
        // L k groups (score n member*n)*groups, read back as (score, member) pairs
        const pairs: string[] = [];
        let j = i + 3;
        for (let g = 0; g < n; g++) {
          const score = write.ops[j] as string;
          const count = Number(write.ops[j + 1]);
          for (const m of write.ops.slice(j + 2, j + 2 + count)) pairs.push(score, m);
          j += 2 + count;
        }
        if (o === op) out.push([key, pairs]);
        i = j;
        continue;
      }
      const width = o === 'P' || o === 'S' ? 1 : 2;
      if (o === op) out.push([key, write.ops.slice(i + 3, i + 3 + n * width)]);
      i += 3 + n * width;
    }
  }
  return out;
}

describe('ShardWriteBuilder', () => {
  it('turns many samples of one bucket into one increment', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ({ metric: 'bytes', entity: '10.0.0.1', ts: T + (i % 2) * 60 + 1, value: 2 }));
    const w = build(samples, T + 60);
    expect(w.samples).toBe(1000);
    // field = metric number (0) * chunk (60) + offset; two (field, increment) pairs to add to what is stored
    expect(ops(w, 'V')).toEqual([['{p:0}v:0a000001:min:1', ['2', '0', '0', '40', '1000', '41', '1000']]]);
    expect(ops(w, 'Z')).toEqual([['{p:0}t:bytes:min:1', ['0a000001', '2000']]]);
    expect(ops(w, 'S')).toEqual([['{p:0}r:min:1', ['167772161']]]); // 10.0.0.1 as a number
    expect(ops(w, 'H')).toEqual([['{p:0}M', ['bytes', 'c10']]]);
    expect(ops(w, 'L')).toEqual([
      ['{p:0}e:bytes:1', [String(-(T + 60)), '0a000001']], // last seen to the minute, in part 1 (key ends in 1)
      ['{p:0}E', [String(-(T + 60 + 600)), '0a000001']],
    ]);
  });

  it('keeps series values in write order', () => {
    const w = build(
      [3, 1, 2].map((value) => ({ metric: 'lens', entity: '10.0.0.1', ts: T, value })),
      T,
    );
    // lens is metric 1: field 1 * 60 + 40; one (field, text) pair to append to what is stored
    expect(ops(w, 'V')).toEqual([['{p:0}v:0a000001:min:1', ['0', '1', '0', '100', '3,1,2']]]);
  });

  it('drops samples the retention window has already left', () => {
    const w = build(
      [
        { metric: 'bytes', entity: '10.0.0.1', ts: T - 600, value: 1 },
        { metric: 'bytes', entity: '10.0.0.1', ts: T - 540, value: 1 },
      ],
      T,
    );
    expect(w).toMatchObject({ samples: 1, dropped: 1 });
    expect(ops(w, 'V')).toEqual([['{p:0}v:0a000001:min:1', ['1', '0', '0', '31', '1']]]);
  });
});
