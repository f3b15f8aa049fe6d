import { IP_PAGE_CHUNKS_META } from '../../routePreloads';

/** At most this long `preloadIpPage` waits for the code to arrive. */
const CODE_WAIT_MS = 1500;

/**
 * Preloads the IP page's chunks named by the build (`routePreloads`; nothing in development):
 * fetched and parsed, not run. Resolves when they and the other preloads and style sheets of
 * the document have arrived (or failed, or after `CODE_WAIT_MS`: nothing should wait on a
 * stuck request). Calling it again adds no second link.
 */
export function preloadIpPage(): Promise<void> {
  const files = document.querySelector<HTMLMetaElement>(`meta[name="${IP_PAGE_CHUNKS_META}"]`)?.content.split(' ') ?? [];
  for (const href of files.filter(Boolean)) {
    if (document.querySelector(`link[rel="modulepreload"][href="${href}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.append(link);
  }
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"], link[rel="stylesheet"]')];
  const arrived = links.map((link) =>
    // A resource timing entry exists once a fetch has completed (the load event may already have fired).
    performance.getEntriesByName(link.href).length > 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          link.addEventListener('load', () => resolve(), { once: true });
          link.addEventListener('error', () => resolve(), { once: true });
        }),
  );
  return Promise.race([Promise.all(arrived).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, CODE_WAIT_MS))]);
}
