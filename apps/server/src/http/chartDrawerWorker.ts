/**
 * The thread a `ChartDrawer` draws in: it takes a page's answers (`LandingDrawJob`), plans the
 * page's charts with the page's own builders, and draws its share of them (`shareCharts`),
 * posting the plan first and then each chart's figure as soon as it is drawn. Messages are
 * `DrawerRequest` in and `DrawerReply` out (see `chartDrawer.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { DrawerReply, DrawerRequest } from './chartDrawer';
import { warmUpJob } from './drawerWarmUp';
import { drawChartFigure, planLanding, shareCharts } from './landingDrawing';

const WARM_UP_ROUNDS = 5;

const port = parentPort;
if (!port) throw new Error('chartDrawerWorker: must run as a worker thread (started by ChartDrawer)');

// A page of the usual shape drawn a few times at start, so the first pages are not the ones V8 compiles ECharts' drawing code on.
const warmUp = planLanding(warmUpJob());
for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const chart of warmUp?.charts ?? []) drawChartFigure(chart, 'dark', 1243, 't');

const post = (reply: DrawerReply) => port.postMessage(reply);

port.on('message', (request: DrawerRequest) => {
  const { id, job, share, shares } = request;
  try {
    const planned = planLanding(job);
    post({ id, type: 'plan', plan: planned?.plan ?? null });
    if (planned) {
      const owner = shareCharts(planned.charts, shares);
      planned.charts.forEach((chart, index) => {
        if (owner[index] !== share) return;
        const started = performance.now();
        const html = drawChartFigure(chart, job.theme, job.width, `t${share}`);
        post({ id, type: 'chart', index, html, ms: performance.now() - started });
      });
    }
    post({ id, type: 'done' });
  } catch (error) {
    post({ id, type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
port.postMessage({ id: 0, type: 'ready' } satisfies DrawerReply);
