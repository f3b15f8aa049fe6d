import { describe, expect, it } from 'vitest';
import { AlertTracker, resolveAlertOptions, severityOf } from './alertTracker';
import { InvalidOptionError } from './errors';

const options = resolveAlertOptions({ closeAfter: 3 });

function run(scores: number[]): (string | undefined)[] {
  const tracker = AlertTracker.create();
  return scores.map((score, i) => tracker.observe(i * 60, score, 'spike', options)?.type);
}

describe('AlertTracker', () => {
  it.each<[string, number[], (string | undefined)[]]>([
    ['one anomalous bucket is not enough', [0.1, 0.5, 0.1, 0.1], [undefined, undefined, undefined, undefined]],
    ['two in a row open an alert', [0.1, 0.5, 0.5, 0.1], [undefined, undefined, 'open', undefined]],
    ['one extreme bucket opens at once', [0.1, 0.9, 0.1], [undefined, 'open', undefined]],
    ['three quiet buckets close it', [0.9, 0.1, 0.1, 0.1, 0.1], ['open', undefined, undefined, 'close', undefined]],
    ['a bucket between the thresholds does not count toward closing', [0.9, 0.1, 0.35, 0.1, 0.1, 0.1], ['open', undefined, undefined, undefined, undefined, 'close']],
    ['it stays one alert while it lasts (de-duplicated)', [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [undefined, 'open', undefined, undefined, undefined, undefined]],
    ['a rise in severity is an update', [0.5, 0.5, 0.8, 0.99, 0.99], [undefined, 'open', 'update', 'update', undefined]],
  ])('%s', (_name, scores, expected) => {
    expect(run(scores)).toEqual(expected);
  });

  it('reports start at the first anomalous bucket and end at the first quiet one', () => {
    const tracker = AlertTracker.create();
    const events = [0.1, 0.5, 0.5, 0.6, 0.1, 0.1, 0.1].map((s, i) => tracker.observe(1000 + i * 60, s, 'levelShift', options));
    const open = events.find((e) => e?.type === 'open');
    const close = events.find((e) => e?.type === 'close');
    expect(open?.start).toBe(1060);
    expect(close?.start).toBe(1060);
    expect(close?.end).toBe(1240);
    expect(close?.peakScore).toBeCloseTo(0.6);
    expect(close?.peakView).toBe('levelShift');
  });

  it('survives a round trip through bytes with an alert open', () => {
    const tracker = AlertTracker.create();
    tracker.observe(0, 0.9, 'spike', options);
    const bytes = new Uint8Array(64);
    tracker.writeTo(bytes, 0);
    const restored = AlertTracker.readFrom(bytes, 0);
    expect(restored.isOpen).toBe(true);
    expect(restored.start).toBe(0);
    expect(restored.observe(60, 0.95, 'spike', options)?.type).toBe('update');
  });

  it.each([
    [0.45, 'low'],
    [0.6, 'medium'],
    [0.8, 'high'],
    [1, 'critical'],
  ])('severity of peak %f is %s', (score, severity) => {
    expect(severityOf(score)).toBe(severity);
  });

  it('closes after five quiet buckets by default', () => {
    const tracker = AlertTracker.create();
    const defaults = resolveAlertOptions();
    const types = [0.9, 0.1, 0.1, 0.1, 0.1, 0.1].map((s, i) => tracker.observe(i * 60, s, 'spike', defaults)?.type);
    expect(types).toEqual(['open', undefined, undefined, undefined, undefined, 'close']);
  });

  it('rejects impossible options naming the option', () => {
    expect(() => resolveAlertOptions({ threshold: 0 })).toThrow(InvalidOptionError);
    expect(() => resolveAlertOptions({ threshold: 0.5, immediateThreshold: 0.3 })).toThrow(/immediateThreshold/);
    expect(() => resolveAlertOptions({ minBuckets: 0 })).toThrow(/minBuckets/);
  });
});
