import { createElement, lazy, useState, type ComponentType } from 'react';

/** A page component whose code loads on demand (`React.lazy`), and its loader. */
export interface LazyRoute<P extends object> {
  Page: ComponentType<P>;
  /** Loads the page's module (once); a page mounted after this has resolved renders at once. */
  preload(): Promise<void>;
}

/**
 * Like `React.lazy`, except that a page whose module has already loaded does not suspend:
 * `React.lazy` always suspends on its first render (its import promise settles a microtask
 * later even when the module is there), which commits the fallback, and React then renders
 * the page again in a retry, in time slices. The landing page's module is loaded while the
 * app's is (see main.ts), so the first render draws the page in one pass.
 *
 * Each mounted page keeps the form it started with, so a page that mounted suspended is not
 * remounted when its module arrives.
 */
export function lazyRoute<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyRoute<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<void> | undefined;
  const preload = () =>
    (pending ??= load().then((module) => {
      loaded = module.default;
    }));
  const Suspending = lazy(async () => {
    const module = await load();
    loaded = module.default;
    return module;
  });
  function Page(props: P) {
    const [ready] = useState(() => loaded);
    return ready ? createElement(ready, props) : createElement(Suspending, props);
  }
  return { Page, preload };
}
