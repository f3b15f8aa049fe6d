import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A built web app as Vite lays it out, in a new temporary folder: `index.html` holding
 * `indexHtml`, and each of `assets` under `assets/` with a one-line comment as its content.
 * Returns the folder (the caller removes it).
 */
export function fakeWebDist(name: string, indexHtml: string, assets: readonly string[]): string {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), `ipscope-${name}-`));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), indexHtml);
  for (const f of assets) fs.writeFileSync(path.join(dist, 'assets', f), `/* ${f} */`);
  return dist;
}
