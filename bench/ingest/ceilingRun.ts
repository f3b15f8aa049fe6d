import { spawn } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from '@ipscope/testkit';
import type { ConsumeResult } from './consumeResult';

/** One consume-only run in a child process, timed from spawn. */
export interface CeilingRun {
  result: ConsumeResult;
  spawnedAt: number;
}

async function deleteGroup(brokers: string[], group: string): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-ingest-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  // The consumer never commits, so the broker may not keep the group at all.
  await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
}

/**
 * Runs `ceilingChild.ts` for a client and returns its result, then deletes its consumer group;
 * fails when the child exits non-zero or runs past `timeoutMs`.
 */
export async function runCeiling(
  client: ConsumeResult['client'],
  target: { brokers: string[]; topic: string; group: string; lastOffsets: Map<number, number>; fetchBytes: number },
  timeoutMs: number,
): Promise<CeilingRun> {
  const spawnedAt = Date.now();
  const json = JSON.stringify({ ...target, lastOffsets: [...target.lastOffsets] });
  const child = spawn(`${repoRoot()}/node_modules/.bin/tsx`, ['bench/ingest/ceilingChild.ts', client, json], {
    cwd: repoRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  await deleteGroup(target.brokers, target.group);
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`${client} ceiling run failed (exit ${code ?? 'killed after ' + timeoutMs + ' ms'}):\n${stderr.slice(-2000)}`);
  }
  return { result: JSON.parse(line) as ConsumeResult, spawnedAt };
}
