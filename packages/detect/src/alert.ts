import { createHash } from 'node:crypto';
import type { Severity } from './alertTracker';
import type { ViewName, ViewResult } from './scoreCombiner';
import type { SeriesScore } from './seriesModel';

/** Who did something to an alert, and when (epoch milliseconds). */
export interface AlertAction {
  by: string;
  at: number;
}

/**
 * One anomaly episode of one series, with its explanation.
 * `state` is the episode (active while scores stay high, ended after);
 * `acknowledged`/`resolved` record the analyst's workflow.
 */
export interface Alert {
  /** Stable id: the same series and start always give the same id (replays do not duplicate). */
  id: string;
  metric: string;
  entity: string;
  severity: Severity;
  state: 'active' | 'ended';
  /** Start of the first anomalous bucket, epoch seconds. */
  start: number;
  /** Start of the first quiet bucket that ended it, epoch seconds; null while active. */
  end: number | null;
  /** Bucket of the latest event. */
  lastTs: number;
  /** Score of the latest event's bucket, and the episode's peak. */
  score: number;
  peakScore: number;
  /** The model view that fired at the peak, and at the latest event. */
  view: ViewName;
  direction: 'up' | 'down';
  /** Expected versus observed at the latest event's bucket (raw units), with the expected band. */
  expected: number;
  observed: number;
  lower: number;
  upper: number;
  /** One sentence for the analyst. */
  explanation: string;
  acknowledged: AlertAction | null;
  resolved: AlertAction | null;
}

/** A change to an alert, as delivered on the stream, the API and webhooks. */
export interface AlertEvent {
  type: 'open' | 'update' | 'close' | 'acknowledge' | 'resolve';
  alert: Alert;
}

/**
 * Deterministic alert id from series and start; `step` (seconds, default 60) tells apart
 * the alerts of one metric scored on buckets of different widths (minutes, half-hours).
 */
export function alertId(metric: string, entity: string, start: number, step = 60): string {
  return createHash('sha256').update(`${metric}\u0000${entity}\u0000${start}${step === 60 ? '' : `\u0000${step}`}`).digest('hex').slice(0, 24);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return value.toExponential(2);
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return value.toPrecision(3);
}

/** "a 1-in-N" (or "a 1-in-10^k") for a tail probability, for explanations. */
export function oneIn(p: number): string {
  if (!(p > 0)) return 'an off-scale';
  const decades = -Math.log10(p);
  return decades >= 3 ? `a 1-in-10^${Math.round(decades)}` : `a 1-in-${Math.round(1 / p)}`;
}

/** Explains a score in one sentence: what was seen, what was expected, which view fired. */
export function explain(metric: string, entity: string, score: SeriesScore, view: ViewResult | undefined): string {
  const head = `${metric} of ${entity}`;
  if (view === undefined) return `${head}: observed ${formatNumber(score.value)}, expected ${formatNumber(score.expected)}`;
  switch (view.view) {
    case 'distribution': {
      const share = (x: number | undefined): string => `${((x ?? 0) * 100).toFixed(1)}%`;
      return `${head}: mix changed (distribution view): share of ${view.category ?? 'other'} ${share(view.observedShare)} vs ${share(view.expectedShare)} expected, ${oneIn(view.p)} change`;
    }
    case 'newcomer':
      return `${head}: new series whose first activity ${formatNumber(score.value)} is ${oneIn(view.p)} value for a newcomer (newcomer view)`;
    case 'levelShift':
      return `${head}: level moved ${view.z >= 0 ? 'up' : 'down'} and stayed (level-shift view): observed ${formatNumber(score.value)} vs expected ${formatNumber(score.expected)} (normal ${formatNumber(score.lower)}–${formatNumber(score.upper)}), ${oneIn(view.p)} shift`;
    case 'sustainedShift':
      return `${head}: ${view.z >= 0 ? 'higher' : 'lower'} than usual for a while (sustained-shift view): observed ${formatNumber(score.value)} vs expected ${formatNumber(score.expected)} (normal ${formatNumber(score.lower)}–${formatNumber(score.upper)}), ${oneIn(view.p)} drift`;
    case 'empty':
      return `${head}: nothing for ${Math.round(-view.z)} bucket${view.z === -1 ? '' : 's'} where about ${formatNumber(score.expected)} was expected (empty view): ${oneIn(view.p)} silence for this series at this time`;
    case 'stuck':
      return `${head}: the same value ${formatNumber(score.value)} for ${Math.round(-view.z) + 1} buckets in a row (stuck view): ${oneIn(view.p)} run for this series`;
    case 'peerBeacon':
    case 'peerFlow':
      // Peer alerts carry the peer model's own sentence (explainPeer); this is the fallback.
      return `${head}: a new peer behaves unlike this host's new peers (${view.view} view), ${oneIn(view.p)} run`;
    case 'spike':
      return `${head}: ${view.z >= 0 ? 'spike' : 'sudden drop'} (spike view): observed ${formatNumber(score.value)} vs expected ${formatNumber(score.expected)} (normal ${formatNumber(score.lower)}–${formatNumber(score.upper)}), ${oneIn(view.p)} deviation`;
  }
}
