/**
 * Backfill throughput, side by side in one run.
 *
 * Corpus: a generated archive of Zeek conn JSON (half the files gzipped, one
 * malformed line in 997), written to a temp folder. Cases, interleaved over
 * ROUNDS rounds so that machine load hits them alike:
 * - `read+decode+encode`: the backfill's CPU path without Kafka (stream the
 *   files, split lines, decode, encode the netevent message): the ceiling.
 * - `backfill chunk N`: the real `runBackfill` into a fresh topic on the local
 *   broker (transactions of N lines, checkpoint in each), N = 1000, 5000
 *   (default), 20000.
 * Lines per second, median over the rounds. Starts (or reuses) the testkit
 * Kafka on 127.0.0.1; bounded loops; deletes its topics. Last line: one JSON
 * object with every figure.
 *
 *   pnpm bench:backfill                  # defaults: 60000 lines, 3 rounds
 *   BENCH_LINES=200000 BENCH_ROUNDS=5 pnpm bench:backfill
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { decodeZeekConnJson } from '@ipscope/events';
import { ensureServices } from '@ipscope/testkit';
import { readArchiveLines } from '../../apps/server/src/backfill/archiveLines';
import { listArchiveFiles } from '../../apps/server/src/backfill/archiveFiles';
import { encodeNetEventMessage } from '../../apps/server/src/backfill/netEventMessage';
import { runBackfill } from '../../apps/server/src/backfill/runBackfill';
import { writeBulkArchive } from '../../apps/server/src/backfill/testArchive';

const LINES = Math.floor(Math.min(Math.max(Number(process.env['BENCH_LINES'] ?? 60000), 8000), 1_000_000) / 4) * 4;
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_ROUNDS'] ?? 3), 1), 9);
const FILES = 4;
const CHUNKS = [1000, 5000, 20000] as const;

const log = (line: string) => process.stderr.write(`bench:backfill: ${line}\n`);

async function readDecodeEncode(root: string): Promise<number> {
  const files = await listArchiveFiles([root]);
  let lines = 0;
  let bytes = 0;
  const started = performance.now();
  for (const file of files) {
    for await (const batch of readArchiveLines(file.path, { maxLineBytes: 1024 * 1024 })) {
      for (const line of batch) {
        lines++;
        const result = decodeZeekConnJson(line.bytes);
        if (result.ok && result.kind === 'event') bytes += encodeNetEventMessage(result.event).length;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (lines !== LINES || bytes === 0) throw new Error(`read ${lines} lines, expected ${LINES}`);
  return lines / seconds;
}

async function backfillOnce(root: string, brokers: string, chunk: number, topics: string[]): Promise<number> {
  const suffix = `${chunk}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `bench-backfill-${suffix}`;
  topics.push(topic, `${topic}.dlq`, `${topic}.checkpoints`);
  const result = await runBackfill(
    {
      inputs: [root],
      fromTopic: undefined,
      brokers: brokers.split(','),
      topic,
      dlqTopic: `${topic}.dlq`,
      checkpointTopic: `${topic}.checkpoints`,
      format: 'auto',
      metrics: undefined,
      job: `bench-${suffix}`,
      restart: false,
      chunk,
      partitions: 6,
      json: true,
    },
    { signal: new AbortController().signal },
  );
  if (result.status !== 'completed' || result.stats.linesRead !== LINES) throw new Error(`backfill read ${result.stats.linesRead} of ${LINES} lines`);
  return result.stats.linesRead / result.seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const { kafkaBrokers } = await ensureServices(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipscope-bench-backfill-'));
  const topics: string[] = [];
  try {
    writeBulkArchive(dir, { files: FILES, linesPerFile: LINES / FILES, badEvery: 997 });
    const runs: Record<string, number[]> = { cpu: [] };
    for (const chunk of CHUNKS) runs[`chunk${chunk}`] = [];
    const loadBefore = os.loadavg()[0] ?? 0;
    for (let round = 0; round < ROUNDS; round++) {
      runs['cpu']?.push(await readDecodeEncode(dir));
      for (const chunk of CHUNKS) runs[`chunk${chunk}`]?.push(await backfillOnce(dir, kafkaBrokers, chunk, topics));
      log(`round ${round + 1}/${ROUNDS}: ${Object.entries(runs).map(([k, v]) => `${k} ${Math.round(v[v.length - 1] ?? 0)}`).join(', ')} lines/s`);
    }
    const figures = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))]));
    const cpu = figures['cpu'] ?? 1;
    const base = figures['chunk5000'] ?? 1;
    const summary = {
      lines: LINES,
      rounds: ROUNDS,
      cores: os.cpus().length,
      loadavg: [Number(loadBefore.toFixed(1)), Number((os.loadavg()[0] ?? 0).toFixed(1))],
      linesPerSecond: figures,
      samples: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(Math.round)])),
      ratios: {
        chunk5000OverCpu: Number((base / cpu).toFixed(3)),
        chunk1000OverChunk5000: Number(((figures['chunk1000'] ?? 0) / base).toFixed(3)),
        chunk20000OverChunk5000: Number(((figures['chunk20000'] ?? 0) / base).toFixed(3)),
      },
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    const kafka = new Kafka({ clientId: 'bench-backfill', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:backfill: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
