import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy the built web app runs under: only same-origin scripts, style
 * sheets, data requests and fonts; images also from `data:`/`blob:` (chart PNG export); no
 * plugins, no framing, no `<base>` tricks. No inline or evaluated script at all.
 *
 * One relaxation, checked against the built app in Chromium: `style-src-attr 'unsafe-inline'`.
 * ECharts' HTML tooltips are markup with `style="..."` attributes; without it every tooltip
 * logs a violation and renders unstyled. Style attributes cannot run script, and since images,
 * fonts and requests are same-origin only, CSS in them cannot send data anywhere. `<style>`
 * elements stay blocked (`style-src 'self'`). (With `tooltip.renderMode: 'richText'` in the
 * charts this could be dropped.)
 *
 * Deliberately no `upgrade-insecure-requests`: on a team network served over plain HTTP it
 * would send asset requests to an HTTPS port that does not exist.
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
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
