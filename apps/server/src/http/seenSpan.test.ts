import { describe, expect, it } from 'vitest';
import { mergeSeen, seenSpan } from './seenSpan';

const T = 1_714_564_800;

describe('seenSpan', () => {
  it('is null when no interval holds data', () => {
    expect(seenSpan([{ resolution: 60, span: null }, { resolution: 1800, span: null }])).toBeNull();
  });

  it('takes minute precision from the finest interval', () => {
    expect(
      seenSpan([
        { resolution: 1800, span: { first: T, last: T } },
        { resolution: 60, span: { first: T + 420, last: T + 540 } },
      ]),
    ).toEqual({ first: T + 420, last: T + 540 });
  });

  it('reaches back with a coarser interval when the data is older than the fine one keeps', () => {
    expect(
      seenSpan([
        { resolution: 60, span: { first: T + 86_400, last: T + 90_000 } },
        { resolution: 1800, span: { first: T - 7 * 86_400, last: T + 88_200 } },
      ]),
    ).toEqual({ first: T - 7 * 86_400, last: T + 90_000 });
  });

  it('uses a coarse interval alone when the metric has no fine one', () => {
    expect(seenSpan([{ resolution: 1800, span: { first: T, last: T + 1800 } }])).toEqual({ first: T, last: T + 1800 });
  });
});

describe('mergeSeen', () => {
  it('takes the earliest first and the latest last, skipping unseen series', () => {
    expect(mergeSeen([null, { first: 5, last: 10 }, { first: 3, last: 7 }, null])).toEqual({ first: 3, last: 10 });
    expect(mergeSeen([null, null])).toBeNull();
  });
});
