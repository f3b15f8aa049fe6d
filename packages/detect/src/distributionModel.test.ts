import { describe, expect, it } from 'vitest';
import { DistributionModel } from './distributionModel';
import { InvalidBucketError, StateDecodeError } from './errors';
import { scoreFromProbability } from './scoreCombiner';
import type { ViewResult } from './scoreCombiner';
import { SeededRandom } from './testing/seededRandom';

const scoreOf = (view: ViewResult): number => scoreFromProbability(view.p);

function normalMix(random: SeededRandom): Record<string, number> {
  return { SF: random.poisson(40), S0: random.poisson(2), REJ: random.poisson(1), RSTO: random.poisson(1) };
}

describe('DistributionModel', () => {
  it('scores a usual mix low and a flood of one state high, naming the state', () => {
    const random = new SeededRandom(2);
    const model = DistributionModel.create();
    let highest = 0;
    for (let i = 0; i < 2000; i++) {
      const view = model.update(normalMix(random), 0.4, scoreOf);
      if (view !== undefined && i > 100) highest = Math.max(highest, scoreOf(view));
    }
    expect(highest).toBeLessThan(0.5);
    const scan = model.update({ SF: 40, S0: 2, REJ: 400, RSTO: 1 }, 0.4, scoreOf);
    expect(scan).toBeDefined();
    expect(scoreOf(scan as ViewResult)).toBeGreaterThan(0.7);
    expect(scan?.category).toBe('REJ');
    expect(scan?.observedShare).toBeGreaterThan(0.8);
    expect(scan?.expectedShare).toBeLessThan(0.05);
  });

  it('gives a never-seen category a slot so its first appearance is visible', () => {
    const random = new SeededRandom(3);
    const model = DistributionModel.create();
    for (let i = 0; i < 500; i++) model.update(normalMix(random), 0.4, scoreOf);
    const view = model.update({ SF: 40, S0: 2, OTH: 60 }, 0.4, scoreOf);
    expect(view?.category).toBe('OTH');
    expect(scoreOf(view as ViewResult)).toBeGreaterThan(0.5);
  });

  it('round-trips through bytes and continues identically', () => {
    const random = new SeededRandom(4);
    const a = DistributionModel.create();
    for (let i = 0; i < 300; i++) a.update(normalMix(random), 0.4, scoreOf);
    const bytes = new Uint8Array(a.byteLength());
    expect(a.writeTo(bytes, 0)).toBe(bytes.length);
    const { model: b, end } = DistributionModel.readFrom(bytes, 0);
    expect(end).toBe(bytes.length);
    const mix = { SF: 10, REJ: 30 };
    expect(b.update(mix, 0.4, scoreOf)).toEqual(a.update(mix, 0.4, scoreOf));
    expect(() => DistributionModel.readFrom(bytes.subarray(0, 10), 0)).toThrow(StateDecodeError);
  });

  it('rejects negative or non-finite counts', () => {
    const model = DistributionModel.create();
    expect(() => model.update({ SF: -1 }, 0.4, scoreOf)).toThrow(InvalidBucketError);
    expect(() => model.update({ SF: Number.POSITIVE_INFINITY }, 0.4, scoreOf)).toThrow(/finite/);
  });
});
