import { execFileSync } from 'node:child_process';
import { repoRoot } from '@ipscope/testkit';

/** Which code a run measured: the shared checkout moves while others work, so the summary names it. */
export interface TreeState {
  commit: string;
  /** Uncommitted changes under the paths the measured processes load (apps/server, packages). */
  dirty: string[];
}

/** Reads HEAD and `git status --porcelain` of the measured paths; 'unknown' outside a git checkout. */
export function treeState(): TreeState {
  const git = (args: string[]) => execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']).trim();
    const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', 'apps/server/src', 'packages'])
      .split('\n')
      .map((l) => l.slice(3).trim())
      .filter((l) => l.length > 0);
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: [] };
  }
}
