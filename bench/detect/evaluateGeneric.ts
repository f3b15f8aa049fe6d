import { AlertTracker, SeriesState, emptyTally, normalisedWindowScore, resolveAlertOptions, resolveSeriesModelOptions, tallyWindows } from '@ipscope/detect';
import type { AlertOptions, SeriesModelOptions, Window, WindowTally } from '@ipscope/detect';
import { EwmaBaseline } from './ewmaBaseline';
import { PROBATION, genericSeries } from './genericSeries';
import type { LabelledSeries } from './genericSeries';

/**
 * Per family: labelled anomalies, found within 3 buckets of their start, found within
 * their window, false alerts; and the window score's tallies (NAB-style, see
 * `windowScore.ts`) with every bucket whose raw score reaches a threshold as a
 * detection (key: the threshold), and with the alerts' opening buckets (key `alerts`).
 */
export interface FamilyFigures {
  anomalies: number;
  within3: number;
  detected: number;
  falseAlerts: number;
  buckets: number;
  window: Record<string, WindowTally>;
}

/** Raw-score thresholds the window score is computed at (a judge picks one for the whole corpus, as NAB does). */
export const WINDOW_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

export interface GenericEvalResult {
  seed: number;
  model: Record<string, FamilyFigures>;
  baseline: Record<string, FamilyFigures>;
  totals: { model: Totals; baseline: Totals };
}

export interface Totals {
  anomalies: number;
  within3: number;
  detected: number;
  falseAlerts: number;
  falseAlertsPer10kBuckets: number;
}

function opens(scores: number[], alerts: AlertOptions): number[] {
  const tracker = AlertTracker.create();
  const out: number[] = [];
  scores.forEach((score, i) => {
    if (Number.isNaN(score)) return;
    if (tracker.observe(i, score, 'spike', alerts)?.type === 'open' && i >= PROBATION) out.push(i);
  });
  return out;
}

function tally(series: LabelledSeries, opened: number[], into: FamilyFigures): void {
  into.buckets += series.values.slice(PROBATION).filter((v) => !Number.isNaN(v)).length;
  const matched = new Set<number>();
  for (const a of series.anomalies) {
    into.anomalies++;
    const windowEnd = a.start + Math.max(a.end - a.start, 10) + 10;
    const hits = opened.filter((o) => o >= a.start && o < windowEnd);
    hits.forEach((h) => matched.add(h));
    if (hits.length > 0) into.detected++;
    if (hits.some((h) => h - a.start <= 3)) into.within3++;
  }
  // Alerts shortly before a start are tolerated (neither hit nor false), as is anything
  // opening in a window after the first hit (the same event, e.g. its end).
  for (const o of opened) {
    if (matched.has(o)) continue;
    if (series.anomalies.some((a) => o >= a.start - 3 && o < a.start + Math.max(a.end - a.start, 10) + 10)) continue;
    into.falseAlerts++;
  }
}

/** The window of an anomaly, as `tally` uses it: its length (at least 10) plus 10 buckets. */
function windowOf(a: { start: number; end: number }): Window {
  return { start: a.start, end: a.start + Math.max(a.end - a.start, 10) + 10 };
}

function tallyWindowScores(series: LabelledSeries, scores: number[], opened: number[], into: Record<string, WindowTally>): void {
  const windows = series.anomalies.map(windowOf);
  // Not counted either way: the probation, and a few buckets just before an anomaly (as `tally`).
  const ignored: Window[] = [{ start: 0, end: PROBATION }, ...series.anomalies.map((a) => ({ start: a.start - 3, end: a.start }))];
  for (const threshold of WINDOW_THRESHOLDS) {
    const detections: number[] = [];
    scores.forEach((score, i) => {
      if (score >= threshold) detections.push(i);
    });
    tallyWindows(detections, windows, ignored, (into[String(threshold)] ??= emptyTally()));
  }
  tallyWindows(opened, windows, ignored, (into['alerts'] ??= emptyTally()));
}

/**
 * Window scores over several results: the threshold with the best total normalised
 * score (chosen on these results, as NAB chooses one for its corpus), and per family
 * the normalised score at that threshold and with the alert rules.
 */
export function windowSummary(results: GenericEvalResult[], pick: (r: GenericEvalResult) => Record<string, FamilyFigures>) {
  const byFamily: Record<string, Record<string, WindowTally>> = {};
  const all: Record<string, WindowTally> = {};
  for (const r of results) {
    for (const [family, f] of Object.entries(pick(r))) {
      for (const [key, t] of Object.entries(f.window)) {
        for (const into of [((byFamily[family] ??= {})[key] ??= emptyTally()), (all[key] ??= emptyTally())]) {
          into.raw += t.raw;
          into.windows += t.windows;
          into.hits += t.hits;
          into.falsePositives += t.falsePositives;
        }
      }
    }
  }
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  const byThreshold = Object.fromEntries(Object.entries(all).map(([k, t]) => [k, { score: r1(normalisedWindowScore(t)), hits: t.hits, falsePositives: t.falsePositives }]));
  let best = String(WINDOW_THRESHOLDS[0]);
  for (const th of WINDOW_THRESHOLDS) if (normalisedWindowScore(all[String(th)] ?? emptyTally()) > normalisedWindowScore(all[best] ?? emptyTally())) best = String(th);
  const families = Object.fromEntries(
    Object.entries(byFamily).map(([family, by]) => {
      const atBest = by[best] ?? emptyTally();
      const alerts = by['alerts'] ?? emptyTally();
      return [family, { atBest: r1(normalisedWindowScore(atBest)), hitsAtBest: atBest.hits, falsePositivesAtBest: atBest.falsePositives, alerts: r1(normalisedWindowScore(alerts)), alertHits: alerts.hits, alertFalsePositives: alerts.falsePositives, windows: atBest.windows }];
    }),
  );
  return { bestThreshold: Number(best), byThreshold, families };
}

function totals(by: Record<string, FamilyFigures>): Totals {
  const t = { anomalies: 0, within3: 0, detected: 0, falseAlerts: 0, buckets: 0 };
  for (const f of Object.values(by)) {
    t.anomalies += f.anomalies;
    t.within3 += f.within3;
    t.detected += f.detected;
    t.falseAlerts += f.falseAlerts;
    t.buckets += f.buckets;
  }
  return { anomalies: t.anomalies, within3: t.within3, detected: t.detected, falseAlerts: t.falseAlerts, falseAlertsPer10kBuckets: (t.falseAlerts / t.buckets) * 10_000 };
}

/**
 * Scores the generic families with the detector's model (SeriesState, as the offline
 * scorer runs it) and the EWMA baseline, both behind the same alert rules.
 */
export function evaluateGeneric(seed: number, perFamily: number, model: Partial<SeriesModelOptions> = {}, alerts: Partial<AlertOptions> = {}): GenericEvalResult {
  const modelOptions = resolveSeriesModelOptions(model);
  const alertOptions = resolveAlertOptions(alerts);
  const byModel: Record<string, FamilyFigures> = {};
  const byBaseline: Record<string, FamilyFigures> = {};
  for (const series of genericSeries(seed, perFamily)) {
    const state = SeriesState.create(series.step, series.calendar, false, modelOptions);
    const baseline = new EwmaBaseline();
    const modelScores: number[] = [];
    const baselineScores: number[] = [];
    series.values.forEach((v, i) => {
      // A missing bucket (NaN) is not scored: the model sees a gap in the timestamps.
      if (Number.isNaN(v)) {
        modelScores.push(Number.NaN);
        baselineScores.push(Number.NaN);
        return;
      }
      modelScores.push(state.update(series.ts0 + i * series.step, v).score);
      baselineScores.push(baseline.update(v));
    });
    const empty = (): FamilyFigures => ({ anomalies: 0, within3: 0, detected: 0, falseAlerts: 0, buckets: 0, window: {} });
    const modelOpens = opens(modelScores, alertOptions);
    const baselineOpens = opens(baselineScores, alertOptions);
    const modelFigures = (byModel[series.family] ??= empty());
    const baselineFigures = (byBaseline[series.family] ??= empty());
    tally(series, modelOpens, modelFigures);
    tally(series, baselineOpens, baselineFigures);
    tallyWindowScores(series, modelScores, modelOpens, modelFigures.window);
    tallyWindowScores(series, baselineScores, baselineOpens, baselineFigures.window);
  }
  return { seed, model: byModel, baseline: byBaseline, totals: { model: totals(byModel), baseline: totals(byBaseline) } };
}
