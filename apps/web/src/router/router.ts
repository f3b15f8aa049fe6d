import { useSyncExternalStore } from 'react';

/**
 * A small history router: the location is an external store, `navigate` pushes or
 * replaces an entry and notifies subscribers, the browser's back/forward buttons arrive
 * as `popstate`. Enough for two routes with all state in the query string.
 */
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

const snapshot = () => `${window.location.pathname}${window.location.search}`;

/** The current path and query string; re-renders when either changes. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

/** Goes to `to` (path and query). `replace` rewrites the current entry (zooming, typing) instead of adding one to the back stack. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
  }
  notify();
}
