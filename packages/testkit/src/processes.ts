import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Starts a long-lived service detached from this process, its output appended to logFile. */
export function spawnDetached(command: string, args: string[], logFile: string, cwd?: string): number {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  return child.pid;
}

/** True when `command` can be run (found on PATH and exits). */
export function hasCommand(command: string, versionArg = '--version'): boolean {
  const r = spawnSync(command, [versionArg], { stdio: 'ignore' });
  return r.error === undefined;
}

export async function stopPid(pid: number, timeoutMs = 15_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
