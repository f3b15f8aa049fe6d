/** Query-string values; undefined ones are left out. */
export type QueryValues = Record<string, string | number | readonly string[] | undefined>;

/** `path?query` with the parameters in the given order; lists are comma-joined, undefined values dropped. */
export function apiUrl(path: string, query: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `${path}?${text}` : path;
}

/** The API path of one IP (encoded: the IP comes from the URL and may be anything). */
export function ipApiPath(ip: string, rest: string): string {
  return `/api/ips/${encodeURIComponent(ip)}/${rest}`;
}
