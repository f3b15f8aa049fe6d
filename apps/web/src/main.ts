import { readEmbeddedCatalog } from './api/embeddedCatalog';
import { createQueryClient } from './api/queryClient';
import { prefetchLanding } from './api/prefetch';
import { keys } from './api/queryKeys';
import { preloadIpPage } from './router/preloadIpPage';
import { matchRoute } from './router/routes';
import { SERVER_CHARTS_ELEMENT_ID } from './pages/ip/serverChartNames';

/*
 * The entry is small on purpose: it starts the landing page's requests before React and the
 * app are even parsed. index.html preloads the app shell and its style sheet, and on an IP
 * page the entry preloads the page's chunks (listed in a <meta> by the build) and sends the
 * data requests once that code has arrived (tens of milliseconds; the same server process
 * would otherwise trickle the code out while it reads the series). Preloaded modules are
 * fetched, not run; they run once the data requests are out, since running them first would
 * hold those requests back behind a busy main thread. The page then finds its data in the
 * query cache and its module loaded.
 *
 * The production server does better: it puts the catalog into the HTML, names the IP page's
 * chunks in preload links itself, and starts reading the page's data when it serves the
 * HTML (`landingRequests`). With the catalog in the page, the requests go out at once:
 * the server answers them from what it has already read, so nothing waits for the code.
 */
const queryClient = createQueryClient();
const catalog = readEmbeddedCatalog(document);
if (catalog) queryClient.setQueryData(keys.catalog, catalog);
const landing = matchRoute(window.location.pathname);
const ipPage = landing.name === 'ip' && landing.valid;
const started = prefetchLanding(queryClient, window.location, { codeFetched: ipPage && !catalog ? preloadIpPage() : undefined });

/** At most this long after its code has loaded the IP page waits for its first screen's data before mounting. */
const DATA_WAIT_MS = 500;
/**
 * With charts drawn by the server in the page, it waits for every part of the series instead (at most this long):
 * the drawings are on screen, and mounting earlier would only put skeletons over them.
 */
const SERVER_DRAWN_WAIT_MS = 5000;
const serverDrawn = document.getElementById(SERVER_CHARTS_ELEMENT_ID) !== null;

function loadApp(data?: { firstScreen: Promise<void>; allSeries: Promise<void> }): void {
  // The IP page's chunk is the Shell's lazy route module: run once; a failure is left to the route's error boundary.
  if (ipPage) import('./pages/ip/IpPage').catch(() => undefined);
  import('./app').then(
    async ({ mountApp, preloadIpPageCode }) => {
      // Mounted with its code loaded, the IP page renders in one pass, not after a suspended first render;
      // with its first screen's data too (the server reads it while the code loads), it also skips a skeleton
      // render that would only hold up the real one. ECharts is not waited for: it compiles while the page renders.
      if (ipPage) {
        await preloadIpPageCode().catch(() => undefined);
        if (data) {
          const [wanted, ms] = serverDrawn ? [data.allSeries, SERVER_DRAWN_WAIT_MS] : [data.firstScreen, DATA_WAIT_MS];
          await Promise.race([wanted, new Promise<void>((resolve) => setTimeout(resolve, ms))]);
        }
      }
      mountApp(queryClient);
    },
    (error: unknown) => {
      // No React to draw an error state with: say it in plain DOM rather than leave a blank page.
      const root = document.getElementById('root');
      if (root) root.textContent = `ipscope could not load its code (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    },
  );
}

if (ipPage) started.then((data) => loadApp(data), () => loadApp());
else loadApp();
