import { describe, expect, it } from 'vitest';
import { chartEngine, loadChartEngine } from './chartEngine';

describe('loadChartEngine', () => {
  it('loads ECharts once and hands it out synchronously afterwards', async () => {
    expect(chartEngine()).toBeUndefined();
    const first = loadChartEngine();
    expect(loadChartEngine()).toBe(first);
    const engine = await first;
    expect(typeof engine.init).toBe('function');
    expect(chartEngine()).toBe(engine);
  });
});
