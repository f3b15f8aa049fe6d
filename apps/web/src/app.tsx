import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ipPageRoute } from './router/ipPageRoute';
import { Shell } from './Shell';
import './styles.css';

/** Loads the IP page's code (the landing page's, when it is one): mounted after this, the page draws without suspending first. */
export const preloadIpPageCode = (): Promise<void> => ipPageRoute.preload();

/** Draws the dashboard into `#root`, with the query client the entry has already started filling. */
export function mountApp(queryClient: QueryClient): void {
  performance.mark('ipscope:app-start');
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Shell />
      </QueryClientProvider>
    </StrictMode>,
  );
}
