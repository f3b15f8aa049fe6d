import { describe, expect, it } from 'vitest';
import { closedBuckets } from './liveFeed';

const intervals = [
  { name: 'days', resolution: 60 },
  { name: 'months', resolution: 1800 },
];
const T = 1_714_564_800;

describe('closedBuckets', () => {
  it('reports nothing until there is a previous and a newest time', () => {
    expect(closedBuckets(null, T, intervals)).toEqual([]);
    expect(closedBuckets(T, null, intervals)).toEqual([]);
  });

  it('reports nothing while data stays in the same bucket', () => {
    expect(closedBuckets(T + 1, T + 59, intervals)).toEqual([]);
  });

  it('closes every bucket before the one the newest data entered', () => {
    expect(closedBuckets(T + 59, T + 60, intervals)).toEqual([{ interval: 'days', ts: T, step: 60 }]);
    expect(closedBuckets(T + 10, T + 600, intervals)).toEqual([{ interval: 'days', ts: T + 540, step: 60 }]);
  });

  it('closes coarse buckets only when the coarse edge is crossed', () => {
    expect(closedBuckets(T + 1799, T + 1800, intervals)).toEqual([
      { interval: 'days', ts: T + 1740, step: 60 },
      { interval: 'months', ts: T, step: 1800 },
    ]);
  });

  it('ignores time going backwards', () => {
    expect(closedBuckets(T + 600, T, intervals)).toEqual([]);
  });
});
