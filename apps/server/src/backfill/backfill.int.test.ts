import { appendFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Kafka, Partitioners, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backfillCommand } from './command';
import { decodeNetEventMessage } from './netEventMessage';
import { readWholeTopic, type TopicRecord } from './readTopic';
import { writeMixedArchive, type LineExpectation, type TestArchive } from './testArchive';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'backfill-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
let admin: Admin;
const temp = mkdtempSync(path.join(tmpdir(), 'ipscope-backfill-'));
const created: string[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  const existing = new Set(await admin.listTopics());
  const mine = created.filter((t) => existing.has(t));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  rmSync(temp, { recursive: true, force: true });
});

/** Unique topic names for one test, deleted after the file. */
function topics(name: string) {
  const suffix = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const names = { topic: `bf-test-${suffix}`, dlq: `bf-test-${suffix}.dlq`, checkpoints: `bf-test-${suffix}.checkpoints` };
  created.push(names.topic, names.dlq, names.checkpoints);
  return names;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  summary: Record<string, unknown>;
}

async function backfill(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdin: Readable.from([]),
    stdout: { isTTY: false, write: (text: string) => (stdout += text) },
    stderr: { isTTY: false, write: (text: string) => (stderr += text) },
  };
  const code = await backfillCommand(['--json', ...argv], io, { KAFKA_BROKERS: brokers });
  const last = stdout.trim().split('\n').pop() ?? '';
  return { code, stdout, stderr, summary: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : {} };
}

/** Asserts success, showing stderr when it failed. */
function ok(run: Run): Run {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/failed|cannot|error/i) });
  return run;
}

function bySource(records: TopicRecord[]): Map<string, TopicRecord[]> {
  const map = new Map<string, TopicRecord[]>();
  for (const r of records) {
    const source = r.headers['ipscope-source'] ?? '(none)';
    map.set(source, [...(map.get(source) ?? []), r]);
  }
  return map;
}

function expected(archive: TestArchive, kinds: Array<LineExpectation['kind']>): string[] {
  return [...archive.lines].filter(([, e]) => kinds.includes(e.kind)).map(([source]) => source).sort();
}

function tally(archive: TestArchive, kind: 'skip' | 'dead'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of archive.lines.values()) if (e.kind === kind) counts[e.reason] = (counts[e.reason] ?? 0) + 1;
  return counts;
}

describe('ipscope backfill (real Kafka)', () => {
  it('replays a mixed archive into exactly the expected events, annotations and dead letters', async () => {
    const archive = writeMixedArchive(path.join(temp, 'mixed'));
    const t = topics('mixed');
    const run = await backfill([archive.root, '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints, '--chunk', '7']);
    ok(run);

    const records = await readWholeTopic(kafka, admin, t.topic);
    const sent = bySource(records);
    const wanted = expected(archive, ['event', 'annotation']);
    expect([...sent.keys()].sort()).toEqual(wanted);
    expect(records).toHaveLength(wanted.length); // each line once, none twice
    for (const [source, [record]] of sent) {
      const expectation = archive.lines.get(source);
      const decoded = decodeNetEventMessage(record?.value ?? Buffer.alloc(0));
      expect(record?.headers['ipscope-format']).toBe('netevent');
      expect(record?.headers['ipscope-metrics']).toBeUndefined();
      if (expectation?.kind === 'event') {
        expect(decoded).toMatchObject({ ok: true, kind: 'event', event: expectation.event });
        if (expectation.event.source === 'zeek') expect(decoded).toEqual({ ok: true, kind: 'event', event: expectation.event });
        expect(record?.key?.toString()).toBe(expectation.event.origIp);
      } else if (expectation?.kind === 'annotation') {
        expect(decoded).toMatchObject({ ok: true, kind: 'annotation', annotation: { ips: expectation.ips, signature: expectation.signature } });
        expect(record?.key?.toString()).toBe(expectation.ips[0]);
      }
    }
    // Per-host order: every message of one originator is on one partition.
    const partitionsByKey = new Map<string, Set<number>>();
    for (const r of records) partitionsByKey.set(r.key?.toString() ?? '', (partitionsByKey.get(r.key?.toString() ?? '') ?? new Set()).add(r.partition));
    expect([...partitionsByKey.values()].every((p) => p.size === 1)).toBe(true);

    const dead = await readWholeTopic(kafka, admin, t.dlq);
    const deadBySource = bySource(dead);
    expect([...deadBySource.keys()].sort()).toEqual(expected(archive, ['dead']));
    expect(dead).toHaveLength(deadBySource.size);
    for (const [source, [record]] of deadBySource) {
      const expectation = archive.lines.get(source);
      if (expectation?.kind !== 'dead') throw new Error(`${source} was dead-lettered but should not be`);
      expect(record?.headers['ipscope-reason']).toBe(expectation.reason);
      expect(record?.headers['ipscope-message']?.length).toBeGreaterThan(5);
      expect(record?.value).toEqual(expectation.raw);
      if (expectation.reason === 'too_large') expect(Number(record?.headers['ipscope-truncated'])).toBeGreaterThan(1024 * 1024);
    }

    const s = run.summary;
    expect(s['status']).toBe('completed');
    expect(s['linesRead']).toBe(archive.lines.size);
    expect(s['events']).toBe(expected(archive, ['event']).length);
    expect(s['annotations']).toBe(1);
    expect(s['skipped']).toEqual(tally(archive, 'skip'));
    expect(s['deadLettered']).toEqual(tally(archive, 'dead'));
    expect(s['filesUnknownFormat']).toEqual([path.join(archive.root, 'README.txt')]);
    expect(s['filesTotal']).toBe(6);
    expect(s['commits']).toBeGreaterThan(10); // --chunk 7 really chunks
  });

  it('sends nothing when a finished job is run again, only the new lines of a grown file, and everything after --restart', async () => {
    const archive = writeMixedArchive(path.join(temp, 'rerun'));
    const t = topics('rerun');
    const args = [archive.root, '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints];
    const first = ok(await backfill(args));
    const firstEvents = first.summary['events'] as number;

    const again = ok(await backfill(args));
    expect(again.summary).toMatchObject({ events: 0, annotations: 0, linesRead: 0, filesAlreadyDone: 6, deadLettered: {} });
    expect(await readWholeTopic(kafka, admin, t.topic)).toHaveLength(firstEvents + 1);

    const conn = path.join(archive.root, 'zeek', 'windows', 'conn-crlf.json');
    appendFileSync(conn, '{"ts":1714700000.5,"id.orig_h":"10.9.9.9","id.resp_h":"10.8.8.8","proto":"udp"}\r\n');
    const grown = await backfill(args);
    expect(grown.summary).toMatchObject({ events: 1, linesRead: 1, linesResumed: 3, filesAlreadyDone: 5 });
    const afterGrowth = bySource(await readWholeTopic(kafka, admin, t.topic));
    expect(afterGrowth.get(`${conn}:4`)).toHaveLength(1);
    expect(afterGrowth.get(`${conn}:1`)).toHaveLength(1);

    const restarted = await backfill([...args, '--restart']);
    expect(restarted.summary).toMatchObject({ events: firstEvents + 1, linesResumed: 0 });
    const everything = bySource(await readWholeTopic(kafka, admin, t.topic));
    expect(everything.get(`${conn}:1`)).toHaveLength(2);
  });

  it('tags every message with the chosen metrics, as a separate job from the all-metrics one', async () => {
    const archive = writeMixedArchive(path.join(temp, 'metrics'));
    const t = topics('metrics');
    const args = [archive.root, '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints];
    const all = await backfill(args);
    const some = ok(await backfill([...args, '--metrics', 'conn_responded,bytes_out']));
    expect(some.summary['job']).not.toBe(all.summary['job']);
    expect(some.summary['events']).toBe(all.summary['events']);
    const records = await readWholeTopic(kafka, admin, t.topic);
    const tagged = records.filter((r) => r.headers['ipscope-metrics'] !== undefined);
    expect(tagged).toHaveLength((some.summary['events'] as number) + 1);
    expect(new Set(tagged.map((r) => r.headers['ipscope-metrics']))).toEqual(new Set(['bytes_out,conn_responded']));
  });

  it('copies the retained history of a topic once: committed messages only, raw, with format, source and metrics headers', async () => {
    const t = topics('from-topic');
    const source = `${t.topic}.source`;
    created.push(source);
    await admin.createTopics({ topics: [{ topic: source, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, transactionalId: `${source}-writer`, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const value = (i: number) => JSON.stringify({ ts: 1714521600 + i, 'id.orig_h': `10.0.0.${i % 50}`, 'id.resp_h': '10.0.1.1', proto: 'tcp' });
    const committed = await producer.transaction();
    await committed.send({ topic: source, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 9}`, value: value(i), headers: { origin: 'sensor-1' } })) });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: source, messages: Array.from({ length: 10 }, (_, i) => ({ key: 'gone', value: value(1000 + i) })) });
    await aborted.abort();
    const more = await producer.transaction();
    await more.send({ topic: source, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 9}`, value: value(40 + i) })) });
    await more.commit();

    const args = ['--from-topic', source, '--format', 'zeek', '--metrics', 'conn_responded', '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints, '--chunk', '9'];
    const run = await backfill(args);
    ok(run);
    expect(run.stderr).toContain(`ipscope backfill: job ${String(run.summary['job'])}\n`);
    expect(run.summary).toMatchObject({ status: 'completed', messagesCopied: 60 });

    const original = await readWholeTopic(kafka, admin, source);
    const copies = await readWholeTopic(kafka, admin, t.topic);
    expect(original).toHaveLength(60);
    expect(copies).toHaveLength(60);
    const copyBySource = bySource(copies);
    for (const o of original) {
      const [copy, ...extra] = copyBySource.get(`${source}:${o.partition}:${o.offset}`) ?? [];
      expect(extra).toHaveLength(0);
      expect(copy?.value).toEqual(o.value);
      expect(copy?.key).toEqual(o.key);
      expect(copy?.headers).toMatchObject({ ...o.headers, 'ipscope-format': 'zeek', 'ipscope-metrics': 'conn_responded' });
    }

    // The range was fixed at the first run: later traffic is live, not history.
    await producer.send({ topic: source, messages: [{ key: 'late', value: value(99) }] });
    await producer.disconnect();
    const again = await backfill(args);
    expect(again.summary).toMatchObject({ status: 'completed', messagesCopied: 0 });
    expect(await readWholeTopic(kafka, admin, t.topic)).toHaveLength(60);
  });

  it('stops with an error naming a file that shrank since the checkpoint', async () => {
    const archive = writeMixedArchive(path.join(temp, 'shrink'));
    const t = topics('shrink');
    const args = [archive.root, '--topic', t.topic, '--dlq', t.dlq, '--checkpoint-topic', t.checkpoints];
    ok(await backfill(args));
    const eve = path.join(archive.root, 'suricata', 'eve.json');
    truncateSync(eve, 100);
    const run = await backfill(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${eve} shrank from`);
    expect(run.stderr).toContain('--restart');
  });

  it('explains a bad command line and a missing input without touching Kafka', async () => {
    const usage = await backfill(['--chunk', 'many', temp]);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toBe('ipscope backfill: --chunk "many" is not a whole number 1..1000000; e.g. --chunk 5000\n');
    const missing = await backfill([path.join(temp, 'no-such-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-dir does not exist/);
  });
});
