import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeCheckpoint, type BackfillCheckpoint } from './checkpoint';
import { readWholeTopic, type TopicRecord } from './readTopic';
import { writeBulkArchive, type TestArchive } from './testArchive';

/*
 * The backfill as operators run it: `bin/ipscope backfill` in its own
 * process, stopped half-way (SIGKILL: no chance to clean up; SIGINT: the
 * orderly stop) and run again. The topic must then hold every line exactly
 * once.
 */

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'backfill-resume-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = path.join(repo, 'bin', 'ipscope');
const temp = mkdtempSync(path.join(tmpdir(), 'ipscope-resume-'));
const created: string[] = [];
const running = new Set<ChildProcess>();
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  const existing = new Set(await admin.listTopics());
  const mine = created.filter((t) => existing.has(t));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  rmSync(temp, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `bin/ipscope backfill` as its own process group, so a kill reaches tsx's child too. */
function startBackfill(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(bin, ['backfill', ...args], {
    cwd: repo,
    detached: true,
    env: { ...process.env, KAFKA_BROKERS: brokers },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exit };
}

/** The job's latest committed checkpoint as it stands now (undefined before the first commit). */
async function latestCheckpoint(topic: string, job: string): Promise<BackfillCheckpoint | undefined> {
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) return undefined;
  const mine = (await readWholeTopic(kafka, admin, topic)).filter((r) => r.key?.toString() === job && r.value !== null);
  const last = mine[mine.length - 1];
  return last?.value ? decodeCheckpoint(job, last.value) : undefined;
}

/** Polls until the running job has committed a checkpoint with some progress in it. */
async function firstCheckpoint(topic: string, job: string, exit: Promise<Exit>): Promise<BackfillCheckpoint> {
  let exited = false;
  void exit.then(() => (exited = true));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && !exited) {
    const checkpoint = await latestCheckpoint(topic, job);
    if (checkpoint !== undefined && Object.values(checkpoint.files).some((f) => f.line > 0)) return checkpoint;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(exited ? `the backfill exited before its first checkpoint: ${JSON.stringify(await exit)}` : 'no checkpoint within 90 s');
}

/**
 * The process that runs the command. bin/ipscope starts it through the tsx
 * launcher, which forwards a signal it receives itself and SIGKILLs the child
 * if that does not acknowledge within 30 ms (likely while a busy event loop
 * encodes a batch), so the orderly stop is tested by signalling the command's
 * own process, as `kill -INT <pid>` would.
 */
function commandPid(child: ChildProcess): number {
  const launcher = child.pid ?? 0;
  let children = '';
  try {
    children = execFileSync('pgrep', ['-P', String(launcher)], { encoding: 'utf8' });
  } catch {
    return launcher; // no child: bin/ipscope runs the command in its own process
  }
  return Number(children.trim().split('\n')[0] ?? launcher);
}

function names(name: string) {
  const suffix = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const t = { topic: `bf-resume-${suffix}`, dlq: `bf-resume-${suffix}.dlq`, checkpoints: `bf-resume-${suffix}.checkpoints`, job: `resume-${suffix}` };
  created.push(t.topic, t.dlq, t.checkpoints);
  return t;
}

function args(archive: TestArchive, t: ReturnType<typeof names>): string[] {
  return [archive.root, '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints, '--job', t.job, '--chunk', '1000', '--json'];
}

/** Every expected line appears exactly once: the multisets of source headers are equal. */
async function expectExactlyOnce(archive: TestArchive, t: ReturnType<typeof names>): Promise<void> {
  const sources = (records: TopicRecord[]) => records.map((r) => r.headers['ipscope-source'] ?? '(none)').sort();
  const expected = (kind: 'event' | 'dead') =>
    [...archive.lines]
      .filter(([, e]) => e.kind === kind)
      .map(([source]) => source)
      .sort();
  const events = sources(await readWholeTopic(kafka, admin, t.topic));
  const dead = sources(await readWholeTopic(kafka, admin, t.dlq));
  expect(events.length).toBe(expected('event').length);
  expect(events).toEqual(expected('event'));
  expect(dead).toEqual(expected('dead'));
}

function summaryOf(exit: Exit): Record<string, unknown> {
  const last = exit.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

describe('bin/ipscope backfill, stopped and resumed (real Kafka)', () => {
  it('survives SIGKILL after the first checkpoint: the re-run completes and every line is in the topic exactly once', async () => {
    const archive = writeBulkArchive(path.join(temp, 'kill'), { files: 6, linesPerFile: 12_000, badEvery: 997 });
    const t = names('kill');
    const first = startBackfill(args(archive, t));
    const atKill = await firstCheckpoint(t.checkpoints, t.job, first.exit);
    process.kill(-(first.child.pid ?? 0), 'SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL'); // it was still running: the kill really interrupted it
    expect(Object.values(atKill.files).every((f) => f.done)).toBe(false);

    const second = startBackfill(args(archive, t));
    const resumed = await second.exit;
    expect({ code: resumed.code, stderr: resumed.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('resuming from its checkpoint') });
    const summary = summaryOf(resumed);
    expect(summary['status']).toBe('completed');
    // It went on from the checkpoint rather than starting over...
    expect(summary['linesRead']).toBeLessThan(72_000);
    expect((summary['linesResumed'] as number) + (summary['filesAlreadyDone'] as number)).toBeGreaterThan(0);
    // ...and the rest of the killed run's work, committed or not, is neither lost nor doubled.
    await expectExactlyOnce(archive, t);

    const checkpoint = await latestCheckpoint(t.checkpoints, t.job);
    expect(Object.keys(checkpoint?.files ?? {})).toHaveLength(6);
    expect(Object.values(checkpoint?.files ?? {}).every((f) => f.done && f.line === 12_000)).toBe(true);
  });

  it('lets a second run of the same job take over: the first stops with a clear error, nothing is doubled', async () => {
    const archive = writeBulkArchive(path.join(temp, 'fence'), { files: 4, linesPerFile: 12_000, badEvery: 2001 });
    const t = names('fence');
    const first = startBackfill(args(archive, t));
    await firstCheckpoint(t.checkpoints, t.job, first.exit);
    const second = startBackfill(args(archive, t));
    const [a, b] = await Promise.all([first.exit, second.exit]);
    expect({ code: b.code, stderr: b.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('resuming from its checkpoint') });
    expect({ code: a.code, stderr: a.stderr }).toMatchObject({ code: 1, stderr: expect.stringContaining('took over') });
    await expectExactlyOnce(archive, t);
  });

  it('stops cleanly on SIGINT with exit code 130 and says how to resume; the re-run completes exactly once', async () => {
    const archive = writeBulkArchive(path.join(temp, 'int'), { files: 4, linesPerFile: 15_000, badEvery: 1499 });
    const t = names('int');
    const first = startBackfill(args(archive, t));
    await firstCheckpoint(t.checkpoints, t.job, first.exit);
    process.kill(commandPid(first.child), 'SIGINT');
    const stopped = await first.exit;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('Re-run the same command to resume');
    expect(stopped.stderr).toMatch(/committed up to: .*conn\.log(\.gz)? after line \d+/);
    const interrupted = summaryOf(stopped);
    expect(interrupted['status']).toBe('interrupted');

    const atStop = await latestCheckpoint(t.checkpoints, t.job);
    expect(Object.values(atStop?.files ?? {}).every((f) => f.done)).toBe(false);
    // What is committed is exactly what the checkpoint says: nothing of the aborted chunk is visible.
    const committedLines = Object.values(atStop?.files ?? {}).reduce((sum, f) => sum + f.line, 0);
    const visible = (await readWholeTopic(kafka, admin, t.topic)).length + (await readWholeTopic(kafka, admin, t.dlq)).length;
    expect(visible).toBe(committedLines);

    const second = startBackfill(args(archive, t));
    const resumed = await second.exit;
    expect({ code: resumed.code, stderr: resumed.stderr }).toMatchObject({ code: 0 });
    expect(summaryOf(resumed)['linesRead']).toBe(60_000 - committedLines);
    await expectExactlyOnce(archive, t);
  });
});
