import { ipFamily } from '@ipscope/api';

/** The pages of the dashboard, as matched from a path. */
export type Route = { name: 'overview' } | { name: 'ip'; ip: string; valid: boolean } | { name: 'notFound'; path: string };

/** Which page a path shows. `/ip/<address>` matches any text so a bad address gets its own clear message, not a 404. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'overview' };
  const ip = /^\/ip\/([^/]*)\/?$/.exec(pathname);
  if (ip) {
    let text: string;
    try {
      text = decodeURIComponent(ip[1]!);
    } catch {
      text = ip[1]!;
    }
    return { name: 'ip', ip: text, valid: ipFamily(text) !== 0 };
  }
  return { name: 'notFound', path: pathname };
}

/** The path of an IP's page. Addresses are written as they are (colons and dots are safe in a path), so links stay readable in tickets. */
export function ipPath(ip: string): string {
  return `/ip/${ipFamily(ip) !== 0 ? ip : encodeURIComponent(ip)}`;
}
