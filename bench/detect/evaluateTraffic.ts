import { AlertTracker, PEER_ALERT_DEFAULTS, PeerModel, PeerPopulation, explainPeer, SeriesState, resolveAlertOptions, resolvePeerModelOptions, resolveSeriesModelOptions } from '@ipscope/detect';
import type { AlertOptions, PeerModelOptions, SeriesModelOptions } from '@ipscope/detect';
import { PeerTraffic } from './peerTraffic';
import { inject, planIncidents } from './incidents';
import { EwmaBaseline } from './ewmaBaseline';
import { INCIDENT_TYPES, METRICS, SIM_START, TrafficSimulator } from './trafficSimulator';
import type { Incident, IncidentType, Metric } from './trafficSimulator';

const STEP = 60;
const DAY = 86_400;

export interface TrafficEvalOptions {
  seed: number;
  hosts: number;
  trainDays: number;
  evalDays: number;
  perType: number;
  model: Partial<SeriesModelOptions>;
  alerts: Partial<AlertOptions>;
  /** Peer view options; undefined leaves the peer view out. */
  peers?: Partial<PeerModelOptions> | undefined;
  /** Peer view alert rule on top of {@link PEER_ALERT_DEFAULTS} (what the live PeerDetector uses). */
  peerAlerts?: Partial<AlertOptions> | undefined;
}

export interface Opened {
  host: number;
  /** A series of the host, or `peers` for the peer view. */
  metric: Metric | 'peers';
  openTs: number;
  view: string;
  /** Peer view: the alert's explanation, with the host's role. */
  detail?: string;
}

export interface DetectorFigures {
  /** Per incident type: how many injected, found within 3 buckets, found at all while it lasted, and delays (buckets). */
  incidents: Record<IncidentType, { injected: number; within3: number; detected: number; delays: number[] }>;
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
  /** New peers seen and followed per host-minute on average (what the peer view works through). */
  peersPerHostMinute: number;
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
  const peerOptions = resolvePeerModelOptions({ ...options.peers, step: STEP });
  const peerModels = sim.hosts.map(() => PeerModel.create(peerOptions));
  const incidentIndex = new Map<number, number>(incidents.map((incident, k) => [incident.host, options.seed * 64 + k]));
  let peerCells = 0;
  const population = PeerPopulation.create();
  const peerAlertOptions = resolveAlertOptions({ ...PEER_ALERT_DEFAULTS, ...options.peerAlerts });

  for (let ts = SIM_START; ts < evalEnd; ts += STEP) {
    const counting = ts >= evalStart;
    population.advance(ts, peerOptions.halfLifeSeconds);
    for (let host = 0; host < sim.hosts.length; host++) {
      const normal = sim.normalMinute(host, ts);
      let minute = normal;
      const incident = byHost.get(host);
      if (incident !== undefined && ts >= incident.start && ts < incident.end) minute = inject(sim, incident, ts, minute);
      if (peerTraffic !== undefined) {
        const peers = peerTraffic.minute(host, ts, normal, minute, incident, incidentIndex.get(host) ?? 0);
        peerCells += peers.size;
        const peerModel = peerModels[host] as PeerModel;
        const score = peerModel.update(ts, peers, population);
        const t = peerModel.tracker.observe(ts, score.score, score.top?.view, peerAlertOptions);
        if (counting && t?.type === 'open') {
          const detail = score.top === undefined ? '' : `${sim.role(host)} ${explainPeer(sim.hosts[host]?.ip ?? String(host), score.top, STEP)}`;
          openedPeers.push({ host, metric: 'peers', openTs: ts, view: t.peakView ?? 'none', detail });
        }
      }
      const hostStates = states[host] as SeriesState[];
      const hostBaselines = baselines[host] as { model: EwmaBaseline; tracker: AlertTracker }[];
      for (let m = 0; m < METRICS.length; m++) {
        const metric = METRICS[m] as Metric;
        const state = hostStates[m] as SeriesState;
        const input = metric === 'states' ? minute.states : minute[metric];
        const score = state.update(ts, input);
        const t = state.tracker.observe(ts, score.score, score.view, alertOptions);
        if (counting && t?.type === 'open') opened.push({ host, metric, openTs: ts, view: t.peakView ?? 'none' });
        const base = hostBaselines[m] as { model: EwmaBaseline; tracker: AlertTracker };
        const value = typeof input === 'number' ? input : Object.values(input).reduce((a, b) => a + b, 0);
        const baseScore = base.model.update(value);
        const bt = base.tracker.observe(ts, baseScore, 'spike', alertOptions);
        if (counting && bt?.type === 'open') openedBaseline.push({ host, metric, openTs: ts, view: 'ewma' });
      }
    }
  }

  const incidentMinutes = incidents.reduce((sum, i) => sum + (i.end - i.start + 3600) / 60, 0);
  const seriesHoursIncidentFree = (sim.hosts.length * METRICS.length * options.evalDays * 1440 - METRICS.length * incidentMinutes) / 60;
  return {
    seed: options.seed,
    seriesHoursIncidentFree,
    model: figures(opened, incidents, byHost, seriesHoursIncidentFree),
    withPeers: figures([...opened, ...openedPeers], incidents, byHost, seriesHoursIncidentFree),
    peerView: figures(openedPeers, incidents, byHost, seriesHoursIncidentFree),
    peersPerHostMinute: peerCells / (sim.hosts.length * ((evalEnd - SIM_START) / STEP)),
    baseline: figures(openedBaseline, incidents, byHost, seriesHoursIncidentFree),
    seconds: (performance.now() - began) / 1000,
  };
}

function figures(opened: Opened[], incidents: Incident[], byHost: Map<number, Incident>, seriesHours: number): DetectorFigures {
  const perType = Object.fromEntries(INCIDENT_TYPES.map((t) => [t, { injected: 0, within3: 0, detected: 0, delays: [] as number[] }])) as DetectorFigures['incidents'];
  for (const incident of incidents) {
    const entry = perType[incident.type];
    entry.injected++;
    const hits = opened.filter((o) => o.host === incident.host && o.openTs >= incident.start && o.openTs < incident.end);
    if (hits.length === 0) continue;
    const delay = Math.min(...hits.map((o) => (o.openTs - incident.start) / STEP));
    entry.detected++;
    entry.delays.push(delay);
    if (delay <= 3) entry.within3++;
  }
  let falseAlerts = 0;
  const list: Opened[] = [];
  const by: Record<string, number> = {};
  for (const o of opened) {
    const incident = byHost.get(o.host);
    if (incident !== undefined && o.openTs >= incident.start - 3 * STEP && o.openTs < incident.end + 3600) continue;
    falseAlerts++;
    list.push(o);
    const key = `${o.metric}/${o.view}`;
    by[key] = (by[key] ?? 0) + 1;
  }
  return { incidents: perType, falseAlerts, falseAlertsPer1000SeriesHours: (falseAlerts / seriesHours) * 1000, falseAlertsBy: by, falseAlertList: list };
}
