import type { ErrorResponse, SeriesResponse, TopResponse } from '@ipscope/api';

class SkeletonApiError extends Error {
  constructor(readonly status: number, message: string, readonly parameter?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as ErrorResponse | undefined;
    throw new SkeletonApiError(res.status, body?.error.message ?? `HTTP ${res.status}`, body?.error.parameter);
  }
  return (await res.json()) as T;
}

export const fetchTop = (limit: number) => getJson<TopResponse>(`/api/top?limit=${limit}`);
export const fetchSeries = (ip: string) => getJson<SeriesResponse>(`/api/ips/${encodeURIComponent(ip)}/series`);
