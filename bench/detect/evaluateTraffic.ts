import { AlertTracker, PeerModel, commonPeers, peerAlertDefaults, PeerPopulation, explainPeer, SeriesState, resolveAlertOptions, resolvePeerModelOptions, resolveSeriesModelOptions } from '@ipscope/detect';
import type { AlertOptions, PeerActivity, PeerModelOptions, PeerScore, SeriesModelOptions } from '@ipscope/detect';
import { PeerTraffic } from './peerTraffic';
import { inject, planIncidents } from './incidents';
import { EwmaBaseline } from './ewmaBaseline';
import { INCIDENT_TYPES, METRICS, SIM_START, TrafficSimulator } from './trafficSimulator';
import type { Incident, IncidentType, Metric } from './trafficSimulator';

const STEP = 60;
/** The peer view's default bucket: the default catalog keeps the peer histograms on half-hour buckets only. */
export const PEER_STEP = 1800;
/** The default catalog's `months` interval: the half-hour connections series. */
const HALF_HOUR = 1800;
const DAY = 86_400;

export interface TrafficEvalOptions {
  seed: number;
  hosts: number;
  trainDays: number;
  evalDays: number;
  perType: number;
  model: Partial<SeriesModelOptions>;
  alerts: Partial<AlertOptions>;
  /**
   * Peer view options; undefined leaves the peer view out. Its `step` is the width of the
   * peer buckets (default {@link PEER_STEP}, the default catalog's half-hour interval): each
   * host's minutes of peers are summed into it, as the store sums them.
   */
  peers?: Partial<PeerModelOptions> | undefined;
  /** Peer view alert rule on top of {@link peerAlertDefaults} for its step (what the live PeerDetector uses). */
  peerAlerts?: Partial<AlertOptions> | undefined;
  /** `false` skips the minute series views and the baseline (to iterate on the peer view alone; their figures are then empty). Default true. */
  seriesViews?: boolean | undefined;
  /** Called with every peer score (to trace why an incident was or was not found). */
  onPeerScore?: ((host: number, score: PeerScore, model: PeerModel) => void) | undefined;
}

export interface Opened {
  host: number;
  /** A series of the host, `conns@30m` for its connections per half-hour, or `peers` for the peer view. */
  metric: Metric | 'conns@30m' | 'peers';
  /** Start of the bucket whose alert opened. */
  openTs: number;
  /** Width of the view's buckets, seconds (60 for the series views, the peer step for the peer view). */
  step: number;
  view: string;
  /** Peer view: the alert's explanation, with the host's role. */
  detail?: string;
}

export interface DetectorFigures {
  /**
   * Per incident type: how many injected, found within 3 buckets of the view that found it,
   * found at all while it lasted, and delays in that view's buckets (from the bucket where the
   * incident starts) and in minutes (the same delay × the bucket's minutes).
   */
  incidents: Record<IncidentType, { injected: number; within3: number; detected: number; delays: number[]; delayMinutes: number[]; bucketMinutes: number[] }>;
  falseAlerts: number;
  falseAlertsPer1000SeriesHours: number;
  /** False alerts by metric and view, to see where they come from. */
  falseAlertsBy: Record<string, number>;
  /** The false alerts themselves (host, metric, bucket, view), for inspection. */
  falseAlertList: Opened[];
}

export interface TrafficEvalResult {
  seed: number;
  seriesHoursIncidentFree: number;
  model: DetectorFigures;
  /** The series views and the peer view together (false alerts still per series-hour of the five series). */
  withPeers: DetectorFigures;
  /** The peer view's alerts alone. */
  peerView: DetectorFigures;
  /** The host's connections per half-hour (the `months` interval) through the series views, alone; false alerts per its own series-hours. */
  halfHour: DetectorFigures;
  /** Every view: the five minute series, the half-hour connections and the peer view; false alerts per the six series' incident-free hours. */
  all: DetectorFigures;
  /** Incident-free series-hours of the half-hour connections series. */
  halfHourSeriesHoursIncidentFree: number;
  /** Peers per host and peer bucket on average (what the peer view works through). */
  peersPerHostBucket: number;
  baseline: DetectorFigures;
  seconds: number;
}

/**
 * Runs the simulator for `trainDays` of history plus `evalDays` with labelled
 * incidents, scoring every series with the detector's model (SeriesState: the code
 * path the live Detector and the offline scorer share) and, side by side, with a
 * plain EWMA z-score baseline behind the same alert rules. Alerts opened during the
 * evaluation days are matched to incidents on the same host; the rest are false.
 */
export function evaluateTraffic(options: TrafficEvalOptions): TrafficEvalResult {
  const began = performance.now();
  const sim = new TrafficSimulator(options.seed, options.hosts);
  const evalStart = SIM_START + options.trainDays * DAY;
  const evalEnd = evalStart + options.evalDays * DAY;
  const incidents = planIncidents(sim, options.perType, evalStart, evalEnd);
  const byHost = new Map<number, Incident>(incidents.map((i) => [i.host, i]));
  const modelOptions = resolveSeriesModelOptions(options.model);
  const alertOptions = resolveAlertOptions(options.alerts);
  const states = sim.hosts.map(() => METRICS.map((metric) => SeriesState.create(STEP, true, metric === 'states', modelOptions)));
  const baselines = sim.hosts.map(() => METRICS.map(() => ({ model: new EwmaBaseline(), tracker: AlertTracker.create() })));
  const opened: Opened[] = [];
  const openedBaseline: Opened[] = [];
  const openedPeers: Opened[] = [];
  const peerTraffic = options.peers === undefined ? undefined : new PeerTraffic(options.seed, sim);
  const peerOptions = resolvePeerModelOptions({ step: PEER_STEP, ...options.peers });
  const peerStep = peerOptions.step;
  if (peerStep % STEP !== 0) throw new Error(`peer step ${peerStep} s must be a whole number of minutes`);
  // Each host's peers over the open peer bucket: the sum of its minutes, as the store keeps them.
  const peerBuckets = sim.hosts.map(() => new Map<string, PeerActivity>());
  const peerModels = sim.hosts.map(() => PeerModel.create(peerOptions));
  // Each host's connections per half-hour, scored by the same series views as the minutes (SeriesState, step 1800).
  const halfHourStates = sim.hosts.map(() => SeriesState.create(HALF_HOUR, true, false, modelOptions));
  const halfHourSums = sim.hosts.map(() => 0);
  const openedHalfHour: Opened[] = [];
  const incidentIndex = new Map<number, number>(incidents.map((incident, k) => [incident.host, options.seed * 64 + k]));
  let peerCells = 0;
  const population = PeerPopulation.create();
  const peerAlertOptions = resolveAlertOptions({ ...peerAlertDefaults(peerStep), ...options.peerAlerts });

  for (let ts = SIM_START; ts < evalEnd; ts += STEP) {
    const counting = ts >= evalStart;
    const bucketTs = Math.floor(ts / peerStep) * peerStep;
    const bucketCloses = ts + STEP === bucketTs + peerStep;
    const halfHourTs = Math.floor(ts / HALF_HOUR) * HALF_HOUR;
    const halfHourCloses = ts + STEP === halfHourTs + HALF_HOUR;
    if (bucketCloses) population.advance(bucketTs, peerOptions.halfLifeSeconds);
    for (let host = 0; host < sim.hosts.length; host++) {
      const normal = sim.normalMinute(host, ts);
      let minute = normal;
      const incident = byHost.get(host);
      if (incident !== undefined && ts >= incident.start && ts < incident.end) minute = inject(sim, incident, ts, minute);
      if (peerTraffic !== undefined) {
        const peers = peerTraffic.minute(host, ts, normal, minute, incident, incidentIndex.get(host) ?? 0);
        const bucket = peerBuckets[host] as Map<string, PeerActivity>;
        for (const [peer, a] of peers) {
          const sum = bucket.get(peer);
          if (sum === undefined) bucket.set(peer, { conns: a.conns, bytes: a.bytes });
          else {
            sum.conns += a.conns;
            sum.bytes += a.bytes;
          }
        }
      }
      halfHourSums[host] = (halfHourSums[host] as number) + minute.conns;
      if (halfHourCloses) {
        const state = halfHourStates[host] as SeriesState;
        const score = state.update(halfHourTs, halfHourSums[host] as number);
        halfHourSums[host] = 0;
        const t = state.tracker.observe(halfHourTs, score.score, score.view, alertOptions);
        if (halfHourTs >= evalStart && t?.type === 'open') openedHalfHour.push({ host, metric: 'conns@30m', openTs: halfHourTs, step: HALF_HOUR, view: t.peakView ?? 'none' });
      }
      if (options.seriesViews === false) continue;
      const hostStates = states[host] as SeriesState[];
      const hostBaselines = baselines[host] as { model: EwmaBaseline; tracker: AlertTracker }[];
      for (let m = 0; m < METRICS.length; m++) {
        const metric = METRICS[m] as Metric;
        const state = hostStates[m] as SeriesState;
        const input = metric === 'states' ? minute.states : minute[metric];
        const score = state.update(ts, input);
        const t = state.tracker.observe(ts, score.score, score.view, alertOptions);
        if (counting && t?.type === 'open') opened.push({ host, metric, openTs: ts, step: STEP, view: t.peakView ?? 'none' });
        const base = hostBaselines[m] as { model: EwmaBaseline; tracker: AlertTracker };
        const value = typeof input === 'number' ? input : Object.values(input).reduce((a, b) => a + b, 0);
        const baseScore = base.model.update(value);
        const bt = base.tracker.observe(ts, baseScore, 'spike', alertOptions);
        if (counting && bt?.type === 'open') openedBaseline.push({ host, metric, openTs: ts, step: STEP, view: 'ewma' });
      }
    }
    if (peerTraffic !== undefined && bucketCloses) {
      // Every host's bucket is closed: count the hosts reaching each new peer (as the live PeerDetector does), then score each host.
      const hosts = peerModels.map((model, host) => ({ model, peers: peerBuckets[host] as Map<string, PeerActivity> }));
      const common = commonPeers(bucketTs, hosts, peerOptions.commonHosts);
      for (let host = 0; host < hosts.length; host++) {
        const { model: peerModel, peers: bucket } = hosts[host] as { model: PeerModel; peers: Map<string, PeerActivity> };
        peerCells += bucket.size;
        const score = peerModel.update(bucketTs, bucket, population, peerOptions.commonHosts > 0 ? common : undefined);
        options.onPeerScore?.(host, score, peerModel);
        const t = peerModel.tracker.observe(bucketTs, score.score, score.top?.view, peerAlertOptions);
        if (bucketTs >= evalStart && t?.type === 'open') {
          const detail = score.top === undefined ? '' : `${sim.role(host)} ${explainPeer(sim.hosts[host]?.ip ?? String(host), score.top, peerStep)}`;
          openedPeers.push({ host, metric: 'peers', openTs: bucketTs, step: peerStep, view: t.peakView ?? 'none', detail });
        }
      }
      for (const bucket of peerBuckets) bucket.clear();
    }
  }

  const incidentMinutes = incidents.reduce((sum, i) => sum + (i.end - i.start + 3600) / 60, 0);
  const seriesHoursIncidentFree = (sim.hosts.length * METRICS.length * options.evalDays * 1440 - METRICS.length * incidentMinutes) / 60;
  const halfHourSeriesHoursIncidentFree = (sim.hosts.length * options.evalDays * 1440 - incidentMinutes) / 60;
  return {
    seed: options.seed,
    seriesHoursIncidentFree,
    model: figures(opened, incidents, byHost, seriesHoursIncidentFree),
    withPeers: figures([...opened, ...openedPeers], incidents, byHost, seriesHoursIncidentFree),
    peerView: figures(openedPeers, incidents, byHost, seriesHoursIncidentFree),
    halfHour: figures(openedHalfHour, incidents, byHost, halfHourSeriesHoursIncidentFree),
    all: figures([...opened, ...openedHalfHour, ...openedPeers], incidents, byHost, seriesHoursIncidentFree + halfHourSeriesHoursIncidentFree),
    halfHourSeriesHoursIncidentFree,
    peersPerHostBucket: peerCells / (sim.hosts.length * ((evalEnd - SIM_START) / peerStep)),
    baseline: figures(openedBaseline, incidents, byHost, seriesHoursIncidentFree),
    seconds: (performance.now() - began) / 1000,
  };
}

function figures(opened: Opened[], incidents: Incident[], byHost: Map<number, Incident>, seriesHours: number): DetectorFigures {
  const perType = Object.fromEntries(INCIDENT_TYPES.map((t) => [t, { injected: 0, within3: 0, detected: 0, delays: [] as number[], delayMinutes: [] as number[], bucketMinutes: [] as number[] }])) as DetectorFigures['incidents'];
  // The incident starts in the bucket holding its first minute; a view's delay counts its own buckets from there.
  const first = (incident: Incident, step: number): number => Math.floor(incident.start / step) * step;
  for (const incident of incidents) {
    const entry = perType[incident.type];
    entry.injected++;
    const hits = opened.filter((o) => o.host === incident.host && o.openTs >= first(incident, o.step) && o.openTs < incident.end);
    if (hits.length === 0) continue;
    // The earliest alert in minutes; within 3 when any view alerted within 3 of its own buckets.
    const delays = hits.map((o) => ({ buckets: (o.openTs - first(incident, o.step)) / o.step, width: o.step / 60, minutes: (o.openTs - first(incident, o.step)) / 60 }));
    const earliest = delays.reduce((a, b) => (b.minutes < a.minutes ? b : a));
    entry.detected++;
    entry.delays.push(earliest.buckets);
    entry.delayMinutes.push(earliest.minutes);
    entry.bucketMinutes.push(earliest.width);
    if (delays.some((d) => d.buckets <= 3)) entry.within3++;
  }
  let falseAlerts = 0;
  const list: Opened[] = [];
  const by: Record<string, number> = {};
  for (const o of opened) {
    const incident = byHost.get(o.host);
    // Not false: an alert from the bucket where the incident starts (or 3 minutes before it) until an hour after it ends.
    // The grace before is 3 minutes for every view: a half-hour view's starting bucket already reaches back to its edge.
    if (incident !== undefined && o.openTs >= first(incident, o.step) - 3 * STEP && o.openTs < incident.end + 3600) continue;
    falseAlerts++;
    list.push(o);
    const key = `${o.metric}/${o.view}`;
    by[key] = (by[key] ?? 0) + 1;
  }
  return { incidents: perType, falseAlerts, falseAlertsPer1000SeriesHours: (falseAlerts / seriesHours) * 1000, falseAlertsBy: by, falseAlertList: list };
}
