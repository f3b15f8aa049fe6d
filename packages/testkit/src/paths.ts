import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest folder above this file holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('ipscope: could not find the repository root (pnpm-workspace.yaml)');
    dir = parent;
  }
  return dir;
}

/** Runtime state (data folders, pids, ports): gitignored. */
export const stateDir = (): string => process.env.IPSCOPE_STATE_DIR ?? path.join(repoRoot(), '.ipscope');
/** Downloaded artefacts (Kafka jars): gitignored, kept across runs. */
export const cacheDir = (): string => process.env.IPSCOPE_CACHE_DIR ?? path.join(repoRoot(), '.cache');
