import { Suspense, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { lazyRoute } from './lazyRoute';

function Greeting({ name }: { name: string }) {
  return <p>hello {name}</p>;
}

const inSuspense = (node: ReactNode) => renderToString(<Suspense fallback={<i>loading</i>}>{node}</Suspense>);

describe('lazyRoute', () => {
  it('suspends while the module has not loaded', () => {
    const route = lazyRoute(() => new Promise<{ default: typeof Greeting }>(() => undefined));
    expect(inSuspense(<route.Page name="ann" />)).toContain('loading');
  });

  it('renders at once, without suspending, once preloaded', async () => {
    let loads = 0;
    const route = lazyRoute(async () => {
      loads += 1;
      return { default: Greeting };
    });
    await route.preload();
    await route.preload();
    const html = inSuspense(<route.Page name="ann" />);
    expect(html).toContain('hello <!-- -->ann');
    expect(html).not.toContain('loading');
    expect(loads).toBe(1);
  });

  it('passes a failed load on to the caller', async () => {
    const route = lazyRoute<{ name: string }>(() => Promise.reject(new Error('chunk missing')));
    await expect(route.preload()).rejects.toThrow('chunk missing');
  });
});
