import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@ipscope/testkit';
import { createStore } from '@ipscope/timeseries';

/**
 * `createStore` of the working tree, or of an older commit (its packages/timeseries/src extracted
 * with `git archive` into the gitignored bench/.work/<dir>), for before/after runs on one workload.
 */
export async function storeAt(commit: string | undefined, dir: string): Promise<typeof createStore> {
  if (commit === undefined || commit === '') return createStore;
  if (!/^[0-9a-f]{4,40}$/.test(commit)) throw new Error(`a commit must be hex (e.g. cacaeb8), got ${JSON.stringify(commit)}`);
  const work = path.join(repoRoot(), 'bench', '.work', dir);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const archive = execFileSync('git', ['-C', repoRoot(), 'archive', commit, 'packages/timeseries/src']);
  execFileSync('tar', ['-x', '-C', work], { input: new Uint8Array(archive) });
  return ((await import(path.join(work, 'packages/timeseries/src/index.ts'))) as { createStore: typeof createStore }).createStore;
}
