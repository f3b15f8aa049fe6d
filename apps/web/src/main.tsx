import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { prefetchLanding } from './api/prefetch';
import { Shell } from './Shell';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // One retry for flaky networks; 4xx answers are final (the error says what to fix).
      retry: (count, error) => count < 1 && !(error instanceof Error && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500),
      staleTime: 5000,
      refetchOnWindowFocus: false,
    },
  },
});
// Ask for the landing page's data while its code is still loading (the page finds it in the cache).
void prefetchLanding(queryClient, window.location);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Shell />
    </QueryClientProvider>
  </StrictMode>,
);
