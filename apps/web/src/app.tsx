import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Shell } from './Shell';
import './styles.css';

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
