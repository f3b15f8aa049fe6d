import type { echarts as Echarts } from './echartsCore';

/** ECharts with the modules the dashboard registers. */
export type ChartEngine = typeof Echarts;

let loaded: ChartEngine | undefined;
let loading: Promise<ChartEngine> | undefined;

/**
 * Loads ECharts (its own chunk, the largest of the app) once; later calls get the same promise.
 * The IP page does not import ECharts statically, so the page renders while the browser still
 * compiles ECharts on a background thread, and its charts draw as soon as the engine is here.
 * A failed load is not kept: the next call tries again.
 */
export function loadChartEngine(): Promise<ChartEngine> {
  loading ??= import('./echartsCore').then(
    (module) => (loaded = module.echarts),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** ECharts if it has loaded, else undefined (a chart then waits for `loadChartEngine`). */
export function chartEngine(): ChartEngine | undefined {
  return loaded;
}
