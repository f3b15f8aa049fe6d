import type { HtmlTagDescriptor, Plugin } from 'vite';

/** The `<meta>` that lists the IP page's chunks for the entry to preload on IP pages. */
export const IP_PAGE_CHUNKS_META = 'ipscope-ip-page-chunks';

/**
 * Lets the browser fetch the code a page needs while the entry starts the page's requests:
 * - the app shell (React, the router, the page frame), which every page imports right after
 *   the entry has sent its requests, is named in `<link rel="modulepreload">` tags, and its
 *   style sheet is linked;
 * - the IP page's chunks and what they import dynamically (ECharts, the largest) are only listed, in a `<meta>`: the entry adds
 *   the preload links itself when the landing page is an IP page (the policy allows no inline
 *   script, and the overview should not fetch ECharts).
 * Preloaded modules are fetched and parsed, not run, so they do not hold up the data requests.
 */
export function routePreloads(): Plugin {
  return {
    name: 'ipscope-route-preloads',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx): HtmlTagDescriptor[] {
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((o) => (o.type === 'chunk' ? [o] : []));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const closure = (files: readonly string[], into = new Set<string>()): Set<string> => {
          for (const f of files) {
            if (into.has(f)) continue;
            into.add(f);
            closure(byFile.get(f)?.imports ?? [], into);
          }
          return into;
        };
        const fileOf = (module: string): string => {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(module));
          if (!chunk) throw new Error(`routePreloads: no chunk for ${module}`);
          return chunk.fileName;
        };
        const loaded = closure(chunks.filter((c) => c.isEntry).map((c) => c.fileName));
        const app = [...closure([fileOf('/src/app.tsx')])].filter((f) => !loaded.has(f));
        // The page loads ECharts with a dynamic import as it starts (see chartEngine.ts): preloaded with it all the same.
        const ipPage = closure([fileOf('/src/pages/ip/IpPage.tsx')]);
        const ip = [...closure([...ipPage].flatMap((f) => byFile.get(f)?.dynamicImports ?? []), ipPage)].filter((f) => !loaded.has(f) && !app.includes(f));
        // The app's style sheet is asked for with the entry: requested later, it would queue behind the page's data requests.
        const css = [...new Set(app.flatMap((f) => [...(byFile.get(f)?.viteMetadata?.importedCss ?? [])]))];
        return [
          ...css.map((f): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${f}` }, injectTo: 'head' })),
          ...app.map((f): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' })),
          { tag: 'meta', attrs: { name: IP_PAGE_CHUNKS_META, content: ip.map((f) => `/${f}`).join(' ') }, injectTo: 'head' },
        ];
      },
    },
  };
}
