import { AlertTracker, SeriesState, resolveAlertOptions, resolveSeriesModelOptions } from '@ipscope/detect';
import type { AlertOptions, SeriesModelOptions } from '@ipscope/detect';
import { EwmaBaseline } from './ewmaBaseline';
import { PROBATION, genericSeries } from './genericSeries';
import type { LabelledSeries } from './genericSeries';

/** Per family: labelled anomalies, found within 3 buckets of their start, found within their window, false alerts. */
export interface FamilyFigures {
  anomalies: number;
  within3: number;
  detected: number;
  falseAlerts: number;
  buckets: number;
}

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
    const empty = (): FamilyFigures => ({ anomalies: 0, within3: 0, detected: 0, falseAlerts: 0, buckets: 0 });
    tally(series, opens(modelScores, alertOptions), (byModel[series.family] ??= empty()));
    tally(series, opens(baselineScores, alertOptions), (byBaseline[series.family] ??= empty()));
  }
  return { seed, model: byModel, baseline: byBaseline, totals: { model: totals(byModel), baseline: totals(byBaseline) } };
}
