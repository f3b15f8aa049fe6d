import { loadChartEngine } from '../components/chartEngine';
import { lazyRoute } from './lazyRoute';

/**
 * The IP page's route module. The entry preloads it before the first render when the app
 * opens on an IP page, and the overview when it is idle (the next page is most often an IP
 * page): a page mounted after that renders without suspending. ECharts, which the page does
 * not import statically, starts loading with it; the page's charts draw once it is there.
 */
export const ipPageRoute = lazyRoute(() => {
  // A failure is reported by the charts, which ask again.
  loadChartEngine().catch(() => undefined);
  return import('../pages/ip/IpPage');
});
