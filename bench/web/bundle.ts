import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface BundleSizes {
  /** The entry chunk index.html loads, plus the chunks it imports statically (preloaded): what every page needs. */
  mainGzipBytes: number;
  mainFiles: string[];
  /** Every JS chunk, gzipped. */
  chunks: Record<string, number>;
}

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Gzipped sizes of a Vite build in `dist`: the main bundle (entry script and its modulepreloads) and each chunk. */
export function bundleSizes(dist: string): BundleSizes {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const main = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  if (main.length === 0) throw new Error(`no script in ${path.join(dist, 'index.html')}: is the web app built?`);
  const chunks: Record<string, number> = {};
  for (const file of fs.readdirSync(path.join(dist, 'assets'))) {
    if (file.endsWith('.js')) chunks[file.replace(/-[\w-]{8}\.js$/, '.js')] = gz(path.join(dist, 'assets', file));
  }
  return { mainGzipBytes: main.reduce((s, f) => s + gz(path.join(dist, f)), 0), mainFiles: main, chunks };
}
