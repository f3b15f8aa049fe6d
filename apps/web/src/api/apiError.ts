/**
 * A failed API call: the HTTP status (0 when the server could not be reached), the
 * server's error code and message, and on a 400 the parameter it rejected.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly parameter?: string | undefined,
    readonly requestId?: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth retrying by itself: the network or the server, not the request. */
  get retriable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Reads whatever a failed response holds into an `ApiError`; a body that is not the API's error shape still gives a clear message. */
export async function apiErrorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; parameter?: unknown; requestId?: unknown } } | undefined)?.error;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const fallback =
    res.status === 401 || res.status === 403
      ? 'The server needs an access token: sign in again'
      : res.status === 404
        ? 'The server does not know this address'
        : res.status === 429
          ? 'Too many requests: the server asked to slow down'
          : `The server answered HTTP ${res.status}`;
  return new ApiError(
    res.status,
    text(error?.message) ?? fallback,
    text(error?.code) ?? `http_${res.status}`,
    text(error?.parameter),
    text(error?.requestId) ?? res.headers.get('x-request-id') ?? undefined,
  );
}
