import { AlertTracker } from './alertTracker';
import { DistributionModel } from './distributionModel';
import type { Histogram } from './distributionModel';
import { InvalidBucketError } from './errors';
import { combineViews, scoreFromProbability } from './scoreCombiner';
import type { ViewResult } from './scoreCombiner';
import { SeriesModel } from './seriesModel';
import type { SeriesModelOptions, SeriesScore } from './seriesModel';

/**
 * Everything remembered about one (metric, IP) series: the value model, the mix
 * model for histogram series, and the alert tracker. This is the unit that is
 * stored compactly in Redis ({@link encodeState}) and the unit the offline scorer
 * runs, so both take exactly the same code path.
 */
export class SeriesState {
  readonly model: SeriesModel;
  readonly distribution: DistributionModel | undefined;
  readonly tracker: AlertTracker;
  readonly options: SeriesModelOptions;

  constructor(model: SeriesModel, distribution: DistributionModel | undefined, tracker: AlertTracker, options: SeriesModelOptions) {
    this.model = model;
    this.distribution = distribution;
    this.tracker = tracker;
    this.options = options;
  }

  /** A fresh state for a value series (`histogram: false`) or a histogram series. */
  static create(step: number, calendar: boolean, histogram: boolean, options: SeriesModelOptions): SeriesState {
    return new SeriesState(
      SeriesModel.create(step, calendar, options),
      histogram ? DistributionModel.create() : undefined,
      AlertTracker.create(),
      options,
    );
  }

  /** True for histogram series. */
  get isHistogram(): boolean {
    return this.distribution !== undefined;
  }

  /**
   * Scores one closed bucket and learns from it. A value series takes a number; a
   * histogram series takes category counts, and its total is modelled as a value
   * alongside the distribution-shift view.
   */
  update(ts: number, input: number | Histogram): SeriesScore {
    if (typeof input === 'number') {
      if (this.distribution !== undefined) throw new InvalidBucketError(`series is a histogram series; bucket ${ts} gave a plain value`);
      return this.model.update(ts, input);
    }
    if (this.distribution === undefined) throw new InvalidBucketError(`series is a value series; bucket ${ts} gave a histogram`);
    let total = 0;
    for (const [category, count] of Object.entries(input)) {
      if (!(Number.isFinite(count) && count >= 0)) {
        throw new InvalidBucketError(`histogram count for ${JSON.stringify(category)} at ${ts} must be a finite number ≥ 0, got ${count}`);
      }
      total += count;
    }
    const base = this.model.update(ts, total);
    if (base.coldStart && base.views.length === 0) {
      this.distribution.update(input, this.options.learningGuard, viewScore);
      return base;
    }
    const view = this.distribution.update(input, this.options.learningGuard, viewScore);
    if (view === undefined) return base;
    const views = [...base.views, view];
    const combined = combineViews(views);
    const top = combined.top;
    return {
      ...base,
      score: combined.score,
      p: combined.p,
      view: top?.view,
      direction: top === undefined ? undefined : top.view === 'distribution' ? 'up' : top.z >= 0 ? 'up' : 'down',
      views,
    };
  }
}

function viewScore(view: ViewResult): number {
  return scoreFromProbability(view.p);
}
