import type { Plugin } from 'vite';

/**
 * Marks chunks whose functions nearly all run on a page's first draw (ECharts: its set-up,
 * layout and canvas code all run on the first `setOption`) with V8's explicit compile hint
 * `//# allFunctionsCalledOnLoad`: Chromium then compiles every function of the script
 * eagerly, on a background thread while the script streams in, instead of lazily on the
 * main thread at each function's first call.
 */
export function compileHints(isHot: (moduleIds: readonly string[]) => boolean): Plugin {
  return {
    name: 'ipscope-compile-hints',
    apply: 'build',
    // The hint is part of the file, so it changes the file's name (scripts are cached for a year by name).
    augmentChunkHash(chunk) {
      return isHot(chunk.moduleIds) ? 'allFunctionsCalledOnLoad' : undefined;
    },
    // After minification, which would drop the comment; no source maps are written.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk' && isHot(chunk.moduleIds)) chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
      },
    },
  };
}
