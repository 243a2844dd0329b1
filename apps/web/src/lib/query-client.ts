import { QueryClient } from '@tanstack/react-query';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Admin screens: data is cheap to refetch, but refetching on every focus makes forms jumpy.
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // A 4xx (bad input, not found, conflict) will not fix itself by retrying.
        retry: (count, error) => count < 2 && !isClientError(error),
      },
    },
  });
}

function isClientError(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}
