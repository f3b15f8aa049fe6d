import { createQueryClient } from './api/queryClient';
import { prefetchLanding } from './api/prefetch';
import { IP_PAGE_CHUNKS_META } from '../routePreloads';
import { matchRoute } from './router/routes';

/*
 * The entry is small on purpose: it starts the landing page's requests before React and the
 * app are even parsed. The code arrives meanwhile: index.html preloads the app shell, and on an
 * IP page the entry preloads the page's chunks (listed in a <meta> by the build). Preloaded
 * modules are fetched, not run; they run once the data requests are out (the catalog answers
 * in milliseconds), since running them first would hold the series request back behind a busy
 * main thread. The page then finds its data in the query cache and its module loaded.
 */
const queryClient = createQueryClient();
const landing = matchRoute(window.location.pathname);
const ipPage = landing.name === 'ip' && landing.valid;
if (ipPage) preloadIpPage();
const started = prefetchLanding(queryClient, window.location);

/** Preloads the IP page's chunks named by the build (`routePreloads`); nothing in development. */
function preloadIpPage(): void {
  const files = document.querySelector<HTMLMetaElement>(`meta[name="${IP_PAGE_CHUNKS_META}"]`)?.content.split(' ') ?? [];
  for (const href of files.filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.append(link);
  }
}

function loadApp(): void {
  // The IP page's chunk is the Shell's lazy route module: run once; a failure is left to the route's error boundary.
  if (ipPage) import('./pages/ip/IpPage').catch(() => undefined);
  import('./app').then(
    ({ mountApp }) => mountApp(queryClient),
    (error: unknown) => {
      // No React to draw an error state with: say it in plain DOM rather than leave a blank page.
      const root = document.getElementById('root');
      if (root) root.textContent = `ipscope could not load its code (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    },
  );
}

if (ipPage) void started.finally(loadApp);
else loadApp();
