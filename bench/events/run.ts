/**
 * Decoder and metric-catalog throughput, side by side in one run.
 *
 * Corpus: records from the testkit traffic simulator (real Zeek field names),
 * rendered as Zeek JSON, Zeek TSV, Suricata EVE flow and goflow2 JSON. Each
 * case runs a warm-up pass and then ROUNDS timed passes over the corpus; the
 * median pass is reported as items per second. Runs in-process, no services,
 * bounded loops. Last line: one JSON object with every figure.
 *
 *   pnpm bench:events            # defaults: 20000 records, 7 rounds
 *   BENCH_EVENTS=50000 BENCH_ROUNDS=9 pnpm bench:events
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createZeekTsvReader,
  decodeGoflow2,
  decodeSuricataEve,
  decodeZeekConnJson,
  type DecodeResult,
  type NetEvent,
} from '@ipscope/events';
import { compileCatalog, defaultCatalog, type Sample } from '@ipscope/metrics';
import { ZeekConnGenerator, type ZeekConnRecord } from '@ipscope/testkit';
import { referenceSamples } from '../../packages/metrics/src/referenceSamples';

const COUNT = Math.min(Math.max(Number(process.env['BENCH_EVENTS'] ?? 20000), 1000), 500000);
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_ROUNDS'] ?? 7), 3), 51);
const START = 1700000000;

const generator = new ZeekConnGenerator({ seed: 7 });
const records: ZeekConnRecord[] = [];
for (let i = 0; i < COUNT; i++) records.push(generator.record(START + i * 0.01));

const iso = (ts: number): string => {
  const whole = Math.floor(ts);
  const micros = Math.round((ts - whole) * 1e6);
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}+0000`;
};

const zeekJson = records.map((r) => JSON.stringify(r));

const TSV_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes'] as const;
const tsvHeader = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields\t${TSV_FIELDS.join('\t')}`];
const tsvLines = records.map((r) =>
  TSV_FIELDS.map((f) => {
    const v = (r as unknown as Record<string, unknown>)[f];
    if (v === undefined) return '-';
    if (typeof v === 'boolean') return v ? 'T' : 'F';
    return f === 'ts' ? (v as number).toFixed(6) : String(v);
  }).join('\t'),
);

const FLAGS: Record<string, [string, string]> = { SF: ['1b', '1b'], S0: ['02', '00'], REJ: ['02', '14'], RSTO: ['1e', '1b'], RSTR: ['1b', '1e'], SH: ['03', '00'] };
const suricata = records.map((r) => {
  const [ts, tc] = FLAGS[r.conn_state] ?? ['18', '18'];
  const end = r.ts + (r.duration ?? 0);
  return JSON.stringify({
    timestamp: iso(end + 60),
    flow_id: 1000000 + Math.floor(r.ts * 100),
    event_type: 'flow',
    src_ip: r['id.orig_h'],
    src_port: r['id.orig_p'],
    dest_ip: r['id.resp_h'],
    dest_port: r['id.resp_p'],
    proto: r.proto.toUpperCase(),
    app_proto: r.service ?? 'failed',
    flow: { pkts_toserver: r.orig_pkts, pkts_toclient: r.resp_pkts, bytes_toserver: r.orig_ip_bytes, bytes_toclient: r.resp_ip_bytes, start: iso(r.ts), end: iso(end), age: Math.floor(r.duration ?? 0), state: 'closed', reason: 'timeout', alerted: false },
    tcp: r.proto === 'tcp' ? { tcp_flags: ts, tcp_flags_ts: ts, tcp_flags_tc: tc } : undefined,
  });
});
const goflow2 = records.map((r) =>
  JSON.stringify({
    type: 'IPFIX',
    time_received_ns: Math.round((r.ts + 1) * 1e9),
    sequence_num: 1,
    sampling_rate: 0,
    sampler_address: '192.168.0.1',
    time_flow_start_ns: Math.round(r.ts * 1e9),
    time_flow_end_ns: Math.round((r.ts + (r.duration ?? 0)) * 1e9),
    bytes: r.orig_ip_bytes,
    packets: r.orig_pkts,
    src_addr: r['id.orig_h'],
    dst_addr: r['id.resp_h'],
    etype: r['id.orig_h'].includes(':') ? 'IPv6' : 'IPv4',
    proto: r.proto.toUpperCase(),
    src_port: r['id.orig_p'],
    dst_port: r['id.resp_p'],
  }),
);

/** Median items/second over ROUNDS passes (after one warm-up pass). */
function rate(items: number, pass: () => void): number {
  pass();
  const seconds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    pass();
    seconds.push((performance.now() - t0) / 1000);
  }
  seconds.sort((a, b) => a - b);
  return Math.round(items / (seconds[Math.floor(ROUNDS / 2)] ?? 1));
}

/** Counts outcomes, so the benchmark also proves every record decoded. */
function decodePass(lines: readonly string[], decode: (line: string) => DecodeResult, tally: { events: number; failed: number }): void {
  tally.events = 0;
  tally.failed = 0;
  for (const line of lines) {
    const r = decode(line);
    if (r.kind === 'event') tally.events++;
    else tally.failed++;
  }
}

const decodeRates: Record<string, number> = {};
const decodeTallies: Record<string, { events: number; failed: number }> = {};
const cases: Array<[string, readonly string[], () => (line: string) => DecodeResult]> = [
  ['zeekJson', zeekJson, () => decodeZeekConnJson],
  ['zeekTsv', tsvLines, () => {
    const reader = createZeekTsvReader();
    for (const h of tsvHeader) reader.line(h);
    return (line) => reader.line(line);
  }],
  ['suricataEve', suricata, () => decodeSuricataEve],
  ['goflow2', goflow2, () => decodeGoflow2],
];
for (const [name, lines, make] of cases) {
  const tally = { events: 0, failed: 0 };
  const decode = make();
  decodeRates[name] = rate(lines.length, () => decodePass(lines, decode, tally));
  decodeTallies[name] = { ...tally };
}

const events: NetEvent[] = [];
for (const line of zeekJson) {
  const r = decodeZeekConnJson(line);
  if (r.kind === 'event') events.push(r.event);
}
const catalog = compileCatalog(defaultCatalog);
const BATCH = 1000;
let sampleCount = 0;

const compiledRate = rate(events.length, () => {
  let out: Sample[] = [];
  sampleCount = 0;
  for (let i = 0; i < events.length; i++) {
    catalog.samples(events[i] as NetEvent, out);
    if (out.length >= BATCH * 20) {
      sampleCount += out.length;
      out = [];
    }
  }
  sampleCount += out.length;
});

// The sink folds samples into one map per batch, like the ingest's pre-aggregation.
let folded = 0;
const emitRate = rate(events.length, () => {
  const counts = new Map<string, number>();
  const sink = (metric: string, entity: string, ts: number): void => {
    const key = `${metric}|${entity}|${Math.floor(ts / 60)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (let i = 0; i < events.length; i++) catalog.emit(events[i] as NetEvent, sink);
  folded = counts.size;
});

const emitBareRate = rate(events.length, () => {
  let n = 0;
  const sink = (): void => {
    n++;
  };
  for (let i = 0; i < events.length; i++) catalog.emit(events[i] as NetEvent, sink);
  if (n !== sampleCount) throw new Error(`emit gave ${n} samples, samples() gave ${sampleCount}`);
});

const referenceRate = rate(events.length, () => {
  for (let i = 0; i < events.length; i++) referenceSamples(defaultCatalog, events[i] as NetEvent);
});

const pipelineRate = rate(zeekJson.length, () => {
  let out: Sample[] = [];
  for (const line of zeekJson) {
    const r = decodeZeekConnJson(line);
    if (r.kind === 'event') catalog.samples(r.event, out);
    if (out.length >= BATCH * 20) out = [];
  }
});

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const result = {
  bench: 'events',
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  records: COUNT,
  rounds: ROUNDS,
  decodePerSec: decodeRates,
  decodeOutcomes: decodeTallies,
  samplesPerEvent: Math.round((sampleCount / events.length) * 100) / 100,
  catalogMetrics: catalog.metrics.length,
  eventToSamplesPerSec: compiledRate,
  emitSamplesBareSinkPerSec: emitBareRate,
  emitSamplesFoldingSinkPerSec: emitRate,
  foldedKeys: folded,
  referenceInterpreterPerSec: referenceRate,
  compiledVsReference: ratio(compiledRate, referenceRate),
  emitBareVsSamples: ratio(emitBareRate, compiledRate),
  zeekJsonDecodePlusSamplesPerSec: pipelineRate,
};

process.stdout.write(
  [
    `records ${COUNT}, rounds ${ROUNDS}, ${result.machine.cpus} cpus, node ${result.machine.node}`,
    ...Object.entries(decodeRates).map(([k, v]) => `decode ${k}: ${v}/s (${decodeTallies[k]?.failed ?? 0} failed)`),
    `eventToSamples (compiled): ${compiledRate} events/s, ${result.samplesPerEvent} samples/event`,
    `emitSamples bare sink: ${emitBareRate} events/s; folding sink: ${emitRate} events/s`,
    `reference interpreter: ${referenceRate} events/s (compiled is ${result.compiledVsReference}x)`,
    `zeek JSON decode + samples: ${pipelineRate} events/s`,
    JSON.stringify(result),
  ].join('\n') + '\n',
);
