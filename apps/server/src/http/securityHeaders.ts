import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy the built web app runs under: only same-origin scripts, styles,
 * data requests and fonts; images also from `data:`/`blob:` (chart PNG export); no plugins,
 * no framing, no `<base>` tricks. React and ECharts set styles through the CSSOM, which this
 * policy allows without `'unsafe-inline'`. Deliberately no `upgrade-insecure-requests`: on a
 * team network served over plain HTTP it would send asset requests to an HTTPS port that
 * does not exist.
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/** Helmet with the strict policy above; HSTS only when the server itself is reached over HTTPS. */
export function securityHeaders(): RequestHandler {
  const directives = Object.fromEntries(Object.entries(contentSecurityPolicy).map(([k, v]) => [k, [...v]]));
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
}

/** API answers are live data about hosts: never cached by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};
