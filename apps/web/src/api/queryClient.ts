import { QueryClient } from '@tanstack/react-query';

/** The app's one query client: one retry for flaky networks, 4xx answers final (the error says what to fix). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < 1 && !(error instanceof Error && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500),
        staleTime: 5000,
        refetchOnWindowFocus: false,
      },
    },
  });
}
