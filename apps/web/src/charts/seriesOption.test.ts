import { describe, expect, it } from 'vitest';
import { seriesToLineOption } from './seriesOption';

describe('seriesToLineOption', () => {
  const input = { title: 'Connections', unit: 'conn/min', points: [[60, 1], [120, 3]] as Array<[number, number]> };

  it('converts unix seconds to milliseconds for the time axis', () => {
    const option = seriesToLineOption(input) as { series: Array<{ data: number[][] }> };
    expect(option.series[0]!.data).toEqual([[60_000, 1], [120_000, 3]]);
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(input);
    seriesToLineOption(input);
    expect(input).toEqual(copy);
  });

  it('describes the chart for screen readers', () => {
    const option = seriesToLineOption(input) as { aria: { label: { description: string } } };
    expect(option.aria.label.description).toContain('2 points');
  });
});
