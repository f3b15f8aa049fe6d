/**
 * Detection benchmark: quality on labelled incidents and generic series, and
 * throughput, side by side with a plain EWMA z-score baseline behind the same alert
 * rules. Parameters were chosen on the tune seeds; the report seeds are held out.
 *
 *   pnpm bench:detect                       # defaults below
 *   BENCH_DETECT_HOSTS=120 BENCH_DETECT_SERIES=100000 pnpm bench:detect
 *
 * Everything runs in this process except the Redis of the throughput part, which is
 * started for the run on 127.0.0.1 and stopped after. Loops are bounded. Progress goes
 * to stderr; the last stdout line is one JSON object with every figure.
 */
import os from 'node:os';
import { evaluateGeneric, windowSummary } from './evaluateGeneric';
import type { FamilyFigures, GenericEvalResult } from './evaluateGeneric';
import { evaluateTraffic } from './evaluateTraffic';
import type { DetectorFigures, TrafficEvalResult } from './evaluateTraffic';
import { measureThroughput } from './throughput';
import { measurePeerThroughput } from './peerThroughput';
import { measureStoreReads } from './storeReads';
import { earlyBounds } from './earlyBound';
import type { EarlyBound } from './earlyBound';
import { INCIDENT_TYPES } from './trafficSimulator';

const TUNE_SEEDS = [1, 2, 3];
const REPORT_SEEDS = [101, 102, 103];
const HOSTS = clampInt(process.env['BENCH_DETECT_HOSTS'], 80, 10, 400);
const PER_TYPE = clampInt(process.env['BENCH_DETECT_PER_TYPE'], 6, 1, 20);
const SERIES = clampInt(process.env['BENCH_DETECT_SERIES'], 100_000, 1000, 200_000);
const STEPS = clampInt(process.env['BENCH_DETECT_STEPS'], 3, 1, 10);
const PER_FAMILY = clampInt(process.env['BENCH_DETECT_PER_FAMILY'], 8, 1, 50);
/**
 * `quality`, `throughput` (with the peer view's; `peerThroughput` alone), `reads` (the detect role's store reads, per IP vs batched),
 * `bounds` (how unusual the first 4 buckets of exfiltration, beaconing and silence are
 * at all, for an oracle), comma-separated; default all.
 */
const PARTS = new Set((process.env['BENCH_DETECT_PARTS'] ?? 'quality,throughput,reads,bounds').split(','));
const READ_IPS = [70, clampInt(process.env['BENCH_DETECT_READ_IPS'], 2000, 100, 20_000)];
/** `BENCH_DETECT_PEERS=0` leaves the peer view out of the traffic part (default: in). */
const PEERS = process.env['BENCH_DETECT_PEERS'] !== '0';
/** `tune`, `report` or both (default), comma-separated: iterate on the tune seeds without looking at the report seeds. */
const SETS = new Set((process.env['BENCH_DETECT_SETS'] ?? 'tune,report').split(','));

function clampInt(text: string | undefined, fallback: number, lo: number, hi: number): number {
  const n = Number(text ?? fallback);
  return Number.isInteger(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

const log = (line: string): void => {
  process.stderr.write(`bench:detect ${line}\n`);
};

function trafficSummary(results: TrafficEvalResult[], pick: (r: TrafficEvalResult) => DetectorFigures, hours: (r: TrafficEvalResult) => number = (r) => r.seriesHoursIncidentFree) {
  const perType: Record<string, { injected: number; within3: number; detected: number; medianDelayMinutes: number | null; delays: string[] }> = {};
  for (const type of INCIDENT_TYPES) {
    const found = results.flatMap((r) => {
      const f = pick(r).incidents[type];
      return f.delays.map((buckets, i) => ({ buckets, width: f.bucketMinutes[i] as number, minutes: f.delayMinutes[i] as number }));
    });
    found.sort((a, b) => a.minutes - b.minutes);
    perType[type] = {
      injected: results.reduce((s, r) => s + pick(r).incidents[type].injected, 0),
      within3: results.reduce((s, r) => s + pick(r).incidents[type].within3, 0),
      detected: results.reduce((s, r) => s + pick(r).incidents[type].detected, 0),
      medianDelayMinutes: found.length === 0 ? null : (found[Math.floor(found.length / 2)] as { minutes: number }).minutes,
      // Each delay in the buckets of the view that found it, and in minutes: "2 × 30 min = 60 min".
      delays: found.map((d) => `${d.buckets} × ${d.width} min = ${d.minutes} min`),
    };
  }
  const falseAlerts = results.reduce((s, r) => s + pick(r).falseAlerts, 0);
  const seriesHours = results.reduce((s, r) => s + hours(r), 0);
  const bySource: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(pick(r).falseAlertsBy)) bySource[k] = (bySource[k] ?? 0) + v;
  return {
    perType,
    falseAlerts,
    seriesHoursIncidentFree: Math.round(seriesHours),
    falseAlertsPer1000SeriesHours: round((falseAlerts / seriesHours) * 1000),
    falseAlertsPer1000SeriesHoursBySeed: results.map((r) => round(pick(r).falseAlertsPer1000SeriesHours)),
    falseAlertSources: bySource,
  };
}

function genericSummary(results: GenericEvalResult[], pick: (r: GenericEvalResult) => Record<string, FamilyFigures>) {
  const families: Record<string, { anomalies: number; within3: number; detected: number; falseAlerts: number; falseAlertsPer10kBuckets: number }> = {};
  let buckets = 0;
  for (const r of results) {
    for (const [family, f] of Object.entries(pick(r))) {
      const into = (families[family] ??= { anomalies: 0, within3: 0, detected: 0, falseAlerts: 0, falseAlertsPer10kBuckets: 0 });
      into.anomalies += f.anomalies;
      into.within3 += f.within3;
      into.detected += f.detected;
      into.falseAlerts += f.falseAlerts;
      into.falseAlertsPer10kBuckets += f.buckets;
      buckets += f.buckets;
    }
  }
  let anomalies = 0;
  let within3 = 0;
  let detected = 0;
  let falseAlerts = 0;
  for (const f of Object.values(families)) {
    f.falseAlertsPer10kBuckets = round((f.falseAlerts / f.falseAlertsPer10kBuckets) * 10_000);
    anomalies += f.anomalies;
    within3 += f.within3;
    detected += f.detected;
    falseAlerts += f.falseAlerts;
  }
  return { anomalies, within3, detected, falseAlerts, falseAlertsPer10kBuckets: round((falseAlerts / buckets) * 10_000), families };
}

function boundSummary(bounds: EarlyBound[]) {
  const byType: Record<string, { incidents: number; pAtMost1e3: number; minP: number | null; medianP: number | null; list: string[] }> = {};
  // Beaconing is split by period: the brief's question is whether 120–300 s periods can be found early at all.
  const kind = (b: EarlyBound): string => (b.type === 'beaconing' ? (b.intensity >= 120 ? 'beaconing120to300s' : 'beaconing30to60s') : b.type);
  for (const type of [...new Set(bounds.map(kind))].sort()) {
    const mine = bounds.filter((b) => kind(b) === type);
    const ps = mine.map((b) => b.p).sort((a, b) => a - b);
    byType[type] = {
      incidents: mine.length,
      pAtMost1e3: ps.filter((p) => p <= 1e-3).length,
      minP: ps.length === 0 ? null : round6(ps[0] as number),
      medianP: ps.length === 0 ? null : round6(ps[Math.floor(ps.length / 2)] as number),
      list: mine.map((b) => `${b.role} ${Math.round(b.intensity)}: ${b.metric} ${b.observed} vs median ${b.nullMedian}, p ${b.p.toExponential(1)} of ${b.windows}`),
    };
  }
  return byType;
}

function round6(x: number): number {
  return Number(x.toPrecision(3));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function main(): Promise<void> {
  const began = performance.now();
  const traffic: Record<string, TrafficEvalResult[]> = { tune: [], report: [] };
  const generic: Record<string, GenericEvalResult[]> = { tune: [], report: [] };
  for (const [set, seeds] of PARTS.has('quality')
    ? ([
        ['tune', TUNE_SEEDS],
        ['report', REPORT_SEEDS],
      ] as const).filter(([set]) => SETS.has(set))
    : []) {
    for (const seed of seeds) {
      log(`traffic seed ${seed} (${set}): ${HOSTS} hosts × 5 metrics, 7 days history + 7 days evaluated, ${PER_TYPE} incidents per type`);
      const result = evaluateTraffic({ seed, hosts: HOSTS, trainDays: 7, evalDays: 7, perType: PER_TYPE, model: {}, alerts: {}, peers: PEERS ? {} : undefined });
      log(
        `  done in ${result.seconds.toFixed(1)} s; false alerts/1000 series-hours ${result.model.falseAlertsPer1000SeriesHours.toFixed(3)}, with the peer view ${result.withPeers.falseAlertsPer1000SeriesHours.toFixed(3)}, all views with the half-hour connections ${result.all.falseAlertsPer1000SeriesHours.toFixed(3)} (baseline ${result.baseline.falseAlertsPer1000SeriesHours.toFixed(3)}); peers per host and peer bucket ${result.peersPerHostBucket.toFixed(1)}`,
      );
      traffic[set]?.push(result);
      generic[set]?.push(evaluateGeneric(seed, PER_FAMILY));
    }
  }
  const throughput = PARTS.has('throughput') ? await measureThroughput(SERIES, STEPS, log) : null;
  // The peer view adds one model per IP: 100,000 series are 20,000 IPs of 5 series.
  const peerThroughput = PARTS.has('throughput') || PARTS.has('peerThroughput') ? await measurePeerThroughput(Math.ceil(SERIES / 5), STEPS, log) : null;
  const storeReads = [];
  if (PARTS.has('reads')) for (const ips of READ_IPS) storeReads.push(await measureStoreReads(ips, 7, log));
  const bounds: Record<string, EarlyBound[]> = { tune: [], report: [] };
  if (PARTS.has('bounds')) {
    for (const [set, seeds] of [
      ['tune', TUNE_SEEDS],
      ['report', REPORT_SEEDS],
    ] as const) {
      if (!SETS.has(set)) continue;
      for (const seed of seeds) {
        log(`early bounds seed ${seed} (${set})`);
        bounds[set]?.push(...earlyBounds(seed, HOSTS, PER_TYPE));
      }
    }
  }
  const load = os.loadavg();
  const cpu = os.cpus()[0];
  const report = {
    bench: 'detect',
    machine: {
      cpu: cpu?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage1m: round(load[0] ?? 0),
    },
    config: { hosts: HOSTS, perType: PER_TYPE, tuneSeeds: TUNE_SEEDS, reportSeeds: REPORT_SEEDS, perFamily: PER_FAMILY, throughputSeries: SERIES, throughputSteps: STEPS },
    traffic: {
      tune: {
        model: trafficSummary(traffic['tune'] ?? [], (r) => r.model),
        withPeers: trafficSummary(traffic['tune'] ?? [], (r) => r.withPeers),
        peerView: trafficSummary(traffic['tune'] ?? [], (r) => r.peerView),
        halfHour: trafficSummary(traffic['tune'] ?? [], (r) => r.halfHour, (r) => r.halfHourSeriesHoursIncidentFree),
        all: trafficSummary(traffic['tune'] ?? [], (r) => r.all, (r) => r.seriesHoursIncidentFree + r.halfHourSeriesHoursIncidentFree),
        baseline: trafficSummary(traffic['tune'] ?? [], (r) => r.baseline),
      },
      report: {
        model: trafficSummary(traffic['report'] ?? [], (r) => r.model),
        withPeers: trafficSummary(traffic['report'] ?? [], (r) => r.withPeers),
        peerView: trafficSummary(traffic['report'] ?? [], (r) => r.peerView),
        halfHour: trafficSummary(traffic['report'] ?? [], (r) => r.halfHour, (r) => r.halfHourSeriesHoursIncidentFree),
        all: trafficSummary(traffic['report'] ?? [], (r) => r.all, (r) => r.seriesHoursIncidentFree + r.halfHourSeriesHoursIncidentFree),
        baseline: trafficSummary(traffic['report'] ?? [], (r) => r.baseline),
      },
    },
    generic: {
      tune: { model: genericSummary(generic['tune'] ?? [], (r) => r.model), baseline: genericSummary(generic['tune'] ?? [], (r) => r.baseline) },
      report: { model: genericSummary(generic['report'] ?? [], (r) => r.model), baseline: genericSummary(generic['report'] ?? [], (r) => r.baseline) },
    },
    /** NAB-style window score of the generic series (standard profile; `windowScore.ts` in @ipscope/detect). */
    genericWindowScore: {
      tune: { model: windowSummary(generic['tune'] ?? [], (r) => r.model), baseline: windowSummary(generic['tune'] ?? [], (r) => r.baseline) },
      report: { model: windowSummary(generic['report'] ?? [], (r) => r.model), baseline: windowSummary(generic['report'] ?? [], (r) => r.baseline) },
    },
    throughput,
    peerThroughput,
    storeReads,
    earlyBound: { tune: boundSummary(bounds['tune'] ?? []), report: boundSummary(bounds['report'] ?? []) },
    seconds: round((performance.now() - began) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:detect failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
