import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface BundleSizes {
  /** What every page loads before it draws: the entry, the app shell it always imports, and their static imports. */
  mainGzipBytes: number;
  mainFiles: string[];
  /** Every JS chunk, gzipped. */
  chunks: Record<string, number>;
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * Modules the entry imports dynamically on every page (the entry starts the data requests
 * first, then loads these): part of the main bundle although they are separate chunks.
 */
const ALWAYS_LOADED = ['src/app.tsx'];

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Gzipped sizes of a Vite build in `dist` (built with `build.manifest`): the main bundle and each chunk. */
export function bundleSizes(dist: string): BundleSizes {
  const manifestFile = path.join(dist, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`no ${manifestFile}: is the web app built (with build.manifest)?`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const entries = Object.keys(manifest).filter((k) => manifest[k]!.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry in ${manifestFile}, found ${entries.length}`);
  const main = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${manifestFile} names ${key} but does not describe it`);
    if (main.has(chunk.file)) return;
    main.add(chunk.file);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit(entries[0]!);
  for (const key of ALWAYS_LOADED) {
    if (!manifest[entries[0]!]!.dynamicImports?.includes(key)) throw new Error(`the entry no longer imports ${key}: update ALWAYS_LOADED in bench/web/bundle.ts`);
    visit(key);
  }
  const chunks: Record<string, number> = {};
  for (const file of fs.readdirSync(path.join(dist, 'assets'))) {
    if (file.endsWith('.js')) chunks[file.replace(/-[\w-]{8}\.js$/, '.js')] = gz(path.join(dist, 'assets', file));
  }
  const files = [...main];
  return { mainGzipBytes: files.reduce((s, f) => s + gz(path.join(dist, f)), 0), mainFiles: files, chunks };
}
