import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** kairos, its Redis client and versions: pinned, so every run compares against the same code. */
export const KAIROS_PACKAGES = ['kairos==0.10.1', 'redis==5.0.8', 'hiredis==3.1.0'];

function run(command: string, args: string[], what: string): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * Makes a Python 3 virtualenv with kairos from PyPI in `workDir/venv` (gitignored), patched for
 * Python 3 by kairos_py3.py, and returns its python. Reuses a venv that already imports kairos.
 */
export function setupKairos(workDir: string): string {
  const venv = path.join(workDir, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const check = () => spawnSync(python, ['-c', 'import kairos, redis, hiredis; from kairos import Timeseries'], { encoding: 'utf8' });
  if (fs.existsSync(python) && check().status === 0) return python;
  fs.mkdirSync(workDir, { recursive: true });
  run('python3', ['-m', 'venv', venv], 'creating the kairos virtualenv');
  run(python, ['-m', 'pip', 'install', '--quiet', ...KAIROS_PACKAGES], 'pip install kairos');
  run(python, [path.join(import.meta.dirname, 'kairos_py3.py')], 'patching kairos for Python 3');
  const ok = check();
  if (ok.status !== 0) throw new Error(`kairos does not import after patching:\n${ok.stderr}`);
  return python;
}
