import { describe, expect, it } from 'vitest';
import { StateDecodeError } from './errors';
import { resolveSeriesModelOptions } from './seriesModel';
import { SeriesState } from './seriesState';
import { decodeState, encodeState, isOutdatedState } from './stateCodec';
import { MONDAY, SeededRandom } from './testing/seededRandom';

const options = resolveSeriesModelOptions();

describe('encodeState / decodeState', () => {
  it('keeps a value series compact (under 500 bytes) and continues identically', () => {
    const random = new SeededRandom(1);
    const live = SeriesState.create(60, true, false, options);
    for (let i = 0; i < 500; i++) live.update(MONDAY + i * 60, random.poisson(20));
    const bytes = encodeState(live);
    expect(bytes.length).toBeLessThan(500);
    const restored = decodeState(bytes, options);
    expect(restored.update(MONDAY + 500 * 60, 25)).toEqual(live.update(MONDAY + 500 * 60, 25));
  });

  it('continues a run of empty buckets after a restore with the same evidence', () => {
    const random = new SeededRandom(3);
    const live = SeriesState.create(60, true, false, options);
    for (let i = 0; i < 3000; i++) live.update(MONDAY + i * 60, random.poisson(30));
    live.update(MONDAY + 3000 * 60, 0);
    live.update(MONDAY + 3001 * 60, 0);
    const restored = decodeState(encodeState(live), options);
    const next = live.update(MONDAY + 3002 * 60, 0);
    expect(next.views.some((v) => v.view === 'empty')).toBe(true);
    expect(restored.update(MONDAY + 3002 * 60, 0)).toEqual(next);
  });

  it('round-trips a histogram series with its categories', () => {
    const random = new SeededRandom(2);
    const live = SeriesState.create(60, true, true, options);
    for (let i = 0; i < 300; i++) live.update(MONDAY + i * 60, { SF: random.poisson(30), REJ: random.poisson(2) });
    const restored = decodeState(encodeState(live), options);
    expect(restored.isHistogram).toBe(true);
    const bucket = { SF: 5, REJ: 90 };
    expect(restored.update(MONDAY + 300 * 60, bucket)).toEqual(live.update(MONDAY + 300 * 60, bucket));
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['foreign bytes', new Uint8Array(400).fill(7)],
  ])('rejects %s with a StateDecodeError', (_name, bytes) => {
    expect(() => decodeState(bytes, options)).toThrow(StateDecodeError);
  });

  it('rejects a truncated histogram state', () => {
    const state = SeriesState.create(60, true, true, options);
    state.update(MONDAY, { SF: 1 });
    const bytes = encodeState(state);
    expect(() => decodeState(bytes.subarray(0, bytes.length - 3), options)).toThrow(/truncated/);
  });

  it('tells a state of another model version (relearned) from foreign bytes (refused)', () => {
    const state = SeriesState.create(60, true, false, options);
    for (let i = 0; i < 20; i++) state.update(MONDAY + i * 60, i % 5);
    const bytes = encodeState(state);
    expect(isOutdatedState(bytes)).toBe(false);
    // The previous model layout: version 1, twelve bytes shorter.
    const old = bytes.slice(0, bytes.length - 12);
    old[4] = 1;
    expect(isOutdatedState(old)).toBe(true);
    expect(() => decodeState(old, options)).toThrow(StateDecodeError);
    expect(isOutdatedState(new Uint8Array(400).fill(7))).toBe(false);
    expect(isOutdatedState(new Uint8Array(0))).toBe(false);
  });
});
