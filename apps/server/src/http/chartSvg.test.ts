import { describe, expect, it } from 'vitest';
import { metricChartOption } from '@ipscope/charts';
import { drawChartSvg } from './chartSvg';

const FROM = 1_714_564_800;
const points = Array.from({ length: 60 }, (_, i) => [FROM + i * 60, i % 7] as [number, number]);
const option = (theme: 'dark' | 'light') => metricChartOption({ kind: 'number', metric: 'conn.count.resp', type: 'count', unit: 'connections', points }, { range: { from: FROM, to: FROM + 3600 }, step: 60, theme, alerts: [] });

describe('drawChartSvg', () => {
  it('draws the chart at the asked size with its title, axis unit and line, without a <style> element', () => {
    const svg = drawChartSvg(option('dark'), 'dark', 800, 220);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/width="800" height="220"/);
    expect(svg).toContain('>conn.count.resp</text>');
    expect(svg).toContain('>connections</text>');
    // The data line: a path with one vertex per point or more (a stepped line has two; written with H and V since session 7).
    const longest = Math.max(...[...svg.matchAll(/ d="([^"]*)"/g)].map((m) => (m[1]!.match(/[MLHV]/g) ?? []).length));
    expect(longest).toBeGreaterThanOrEqual(60);
    expect(svg).not.toContain('<style');
  });

  it('draws in the theme asked for: dark and light differ in their text colour', () => {
    const fill = (svg: string) => /<text[^>]*fill="([^"]+)"[^>]*>conn\.count\.resp</.exec(svg)?.[1];
    const dark = fill(drawChartSvg(option('dark'), 'dark', 800, 220));
    const light = fill(drawChartSvg(option('light'), 'light', 800, 220));
    expect(dark).toBeDefined();
    expect(light).toBeDefined();
    expect(dark).not.toBe(light);
  });

  it('refuses a size it cannot draw at, naming the field', () => {
    expect(() => drawChartSvg(option('dark'), 'dark', 12, 220)).toThrow(/width: must be a whole number of pixels from 320 to 3840, got 12/);
    expect(() => drawChartSvg(option('dark'), 'dark', 800, 0)).toThrow(/height: must be/);
  });
});
