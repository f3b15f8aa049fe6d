import { InvalidBucketError, InvalidOptionError, StateDecodeError } from './errors';
import { MEAN_ABS_TO_SIGMA, huber, madScale, median, median3 } from './robustStats';
import { DAILY_BINS, WEEKLY_BINS, seasonalLayout, seasonalValue, updateSeasonal } from './seasonalBaseline';
import type { SeasonalSlots } from './seasonalBaseline';
import { combineViews, probabilityFromScore } from './scoreCombiner';
import type { ViewName, ViewResult } from './scoreCombiner';
import { CALIBRATOR_SLOTS, initCalibrator, tailQuantile, updateCalibrator } from './tailCalibrator';
import { forward, inverse, slope } from './transform';
import type { TransformCode, TransformName } from './transform';
import { levelShiftView } from './views/levelShift';
import { spikeView } from './views/spike';
import { emptyView } from './views/empty';
import { stuckView } from './views/stuck';
import { sustainedShiftView } from './views/sustainedShift';

/** Options of the per-series model. Every deployment (live and offline) must use the same ones to get the same scores. */
export interface SeriesModelOptions {
  /** Value transform; default `auto` (log for non-negative series, decided after warm-up). */
  transform: TransformName;
  /** `auto`: daily/weekly rhythm when timestamps are calendar time and the step allows; `none`: never. Default `auto`. */
  seasonality: 'auto' | 'none';
  /** Buckets after warm-up until the model fully trusts its history (scores are damped before). Default 60. */
  maturity: number;
  /**
   * Consecutive strongly shifted buckets (level-shift or, in the same direction,
   * sustained-shift view at ≥ 4 σ) after which a shift is accepted as the new normal. Default 30.
   */
  acceptAfter: number;
  /** Score at or above which learning is slowed so an incident does not teach itself normal. Default 0.4. */
  learningGuard: number;
  /** Smallest meaningful change in raw units (1 for counts); default: learned from the data. */
  quantum: number | undefined;
  /**
   * Activity scale c of the log transform y = log(1 + x/c): values well below c count
   * as "about nothing". Default: half the smallest non-zero warm-up value (1 when
   * warm-up saw only zeros), so bytes and counts each get their own.
   */
  offset: number | undefined;
}

/** Defaults chosen for network counts at a one-minute step and generic series alike. */
export const defaultSeriesModelOptions: SeriesModelOptions = {
  transform: 'auto',
  seasonality: 'auto',
  maturity: 60,
  acceptAfter: 30,
  learningGuard: 0.4,
  quantum: undefined,
  offset: undefined,
};

/** Checks options once; an impossible value names the option and a value that works. */
export function resolveSeriesModelOptions(partial: Partial<SeriesModelOptions> = {}): SeriesModelOptions {
  const options: SeriesModelOptions = { ...defaultSeriesModelOptions, ...partial };
  if (!['auto', 'log', 'none'].includes(options.transform)) {
    throw new InvalidOptionError('transform', `${JSON.stringify(options.transform)} is not one of auto, log, none`);
  }
  if (options.seasonality !== 'auto' && options.seasonality !== 'none') {
    throw new InvalidOptionError('seasonality', `${JSON.stringify(options.seasonality)} is not one of auto, none`);
  }
  if (!Number.isInteger(options.maturity) || options.maturity < 0 || options.maturity > 100_000) {
    throw new InvalidOptionError('maturity', `must be an integer number of buckets in [0, 100000], e.g. 60 (got ${options.maturity})`);
  }
  if (!Number.isInteger(options.acceptAfter) || options.acceptAfter < 3) {
    throw new InvalidOptionError('acceptAfter', `must be an integer ≥ 3, e.g. 30 (got ${options.acceptAfter})`);
  }
  if (!(options.learningGuard > 0 && options.learningGuard <= 1)) {
    throw new InvalidOptionError('learningGuard', `must be in (0, 1], e.g. 0.4 (got ${options.learningGuard})`);
  }
  if (options.quantum !== undefined && !(options.quantum > 0 && Number.isFinite(options.quantum))) {
    throw new InvalidOptionError('quantum', `must be a positive number such as 1, or left unset (got ${options.quantum})`);
  }
  if (options.offset !== undefined && !(options.offset > 0 && Number.isFinite(options.offset))) {
    throw new InvalidOptionError('offset', `must be a positive number such as 1, or left unset (got ${options.offset})`);
  }
  return options;
}

/** The model's verdict on one bucket. All values are in the series' raw units. */
export interface SeriesScore {
  /** Bucket start, epoch seconds (or the offline scorer's index). */
  ts: number;
  value: number;
  /** Anomaly score in [0, 1]; higher is more anomalous, monotone in evidence. */
  score: number;
  /** Tail probability behind the score (after combining views). */
  p: number;
  /** The view that produced the score, if any view ran. */
  view: ViewName | undefined;
  direction: 'up' | 'down' | undefined;
  /** One-step forecast. */
  expected: number;
  /** Expected band: values inside it would score below the learning guard. */
  lower: number;
  upper: number;
  /** True while the series has too little history to be trusted; scores are damped then. */
  coldStart: boolean;
  /** Why the score is damped, for the analyst. */
  reason: string | undefined;
  views: ViewResult[];
}

// Layout of the state. Header (little-endian) then float32 slots.
const VERSION = 4;
const HEADER_BYTES = 32;
const H_VERSION = 0;
const H_FLAGS = 1;
const H_COUNT = 4;
const H_FIRST_TS = 8;
const H_LAST_TS = 16;
const H_STEP = 24;

const FLAG_LOG = 1;
const FLAG_RESOLVED = 2;
const FLAG_DAILY = 4;
const FLAG_WEEKLY = 8;
const FLAG_CALENDAR = 16;
const FLAG_NON_NEGATIVE = 32;

const WARMUP = 8;
const RING = 8;
const F_LEVEL_SLOW = 0;
const F_LEVEL_FAST = 1;
const F_ABS_SLOW = 2;
const F_ABS_FAST = 3;
const F_ABS_SHIFT = 4;
const F_QUANTUM = 5;
const F_LAST_RAW = 6;
const F_SHIFT_RUN = 7;
const F_RING = 8;
const F_RING_POS = F_RING + RING;
const F_SPIKE_UP = F_RING_POS + 1;
const F_SPIKE_DOWN = F_SPIKE_UP + CALIBRATOR_SLOTS;
const F_SHIFT_UP = F_SPIKE_DOWN + CALIBRATOR_SLOTS;
const F_SHIFT_DOWN = F_SHIFT_UP + CALIBRATOR_SLOTS;
const F_DAILY = F_SHIFT_DOWN + CALIBRATOR_SLOTS;
const F_WEEKLY = F_DAILY + DAILY_BINS;
const F_ONSET = F_WEEKLY + WEEKLY_BINS;
const F_PREV_SCORE = F_ONSET + 1;
const F_OFFSET = F_PREV_SCORE + 1;
const F_DRIFT = F_OFFSET + 1;
const F_ABS_DRIFT = F_DRIFT + 1;
const F_DRIFT_UP = F_ABS_DRIFT + 1;
const F_DRIFT_DOWN = F_DRIFT_UP + CALIBRATOR_SLOTS;
const F_PENDING_SPIKE = F_DRIFT_DOWN + CALIBRATOR_SLOTS;
const F_PENDING_SHIFT = F_PENDING_SPIKE + 1;
const F_PENDING_DRIFT = F_PENDING_SHIFT + 1;
const F_PREV2_SCORE = F_PENDING_DRIFT + 1;
const F_TREND_LEVEL = F_PREV2_SCORE + 1;
const F_TREND_SLOPE = F_TREND_LEVEL + 1;
const F_ABS_TREND = F_TREND_SLOPE + 1;
const F_REPEAT_START = F_ABS_TREND + 1;
const F_REPEAT_CONTINUE = F_REPEAT_START + 1;
const F_REPEAT_RUN = F_REPEAT_CONTINUE + 1;
const EMPTY_BANDS = 4;
const F_EMPTY_START = F_REPEAT_RUN + 1;
const F_EMPTY_CONTINUE = F_EMPTY_START + EMPTY_BANDS;
const F_EMPTY_LOGP = F_EMPTY_CONTINUE + EMPTY_BANDS;
const F_EMPTY_RUN = F_EMPTY_LOGP + 1;
const F_PRIOR_LEVEL = F_EMPTY_RUN + 1;
const FLOATS = F_PRIOR_LEVEL + 1;
const SLOTS: SeasonalSlots = { daily: F_DAILY, weekly: F_WEEKLY };

/** Layout version of the series model's state (its first byte). */
export const SERIES_MODEL_VERSION = VERSION;

/** Bytes of one series model's state. */
export const SERIES_MODEL_BYTES = HEADER_BYTES + FLOATS * 4;

const ALPHA_FAST = 0.25;
const ALPHA_SLOW = 0.02;
const SCALE_RATE = 0.02;
const SHIFT_SCALE_RATE = 0.01;
const HUBER = 3;
const STRONG_SHIFT = 4;
const DAY = 86_400;
const ONSET_QUANTILE = 0.1;
const DRIFT_LAMBDA = 0.1;
const DRIFT_CLAMP = 4;
const DRIFT_SCALE_RATE = 0.005;
const CALIBRATION_GUARD_WEIGHT = 0.05;
const ONSET_STEP = 0.05;
/** Local-trend forecaster (damped Holt, error-correction form): level gain, slope gain, damping. */
const TREND_ALPHA = 0.6;
const TREND_BETA = 0.15;
const TREND_DAMP = 0.9;
/** Stuck view: priors (rate, weight in observations) and floors of the repeat rates; longest run learned at once. */
const REPEAT_START_PRIOR = 0.05;
const REPEAT_CONTINUE_PRIOR = 0.1;
const REPEAT_PRIOR_COUNT = 100;
const REPEAT_CONTINUE_PRIOR_COUNT = 20;
const REPEAT_WINDOW = 5000;
const REPEAT_START_MIN = 1e-3;
const REPEAT_RARE = 0.02;
const REPEAT_CONTINUE_MIN = 0.01;
const REPEAT_RUN_LEARNED = 200;
/** Empty view: priors, learning steps and floors of the per-band empty rates; width of a forecast band (model units). */
const EMPTY_START_PRIOR = 0.05;
const EMPTY_CONTINUE_PRIOR = 0.5;
const EMPTY_PRIOR_COUNT = 20;
const EMPTY_WINDOW = 5000;
const EMPTY_CONTINUE_STEP = 1 / 50;
const EMPTY_START_MIN = 1e-4;
const EMPTY_CONTINUE_MIN = 0.2;
const EMPTY_BAND_WIDTH = 1;
const EMPTY_RARE = 0.05;
const FLOAT32_MIN_NORMAL = 2 ** -126;
/** Strongly shifted buckets, and distance in level-shift σ, at which a return to the level before the last accepted shift is taken back. */
const RETURN_AFTER = 3;
const RETURN_BAND = 2;
/** Value views whose tails set the expected band (the stuck view has none). */
const BAND_VIEWS = 3;
/** A forecaster replaces the slow level only when its recent absolute error is this much smaller. */
const FAST_MARGIN = 0.9;
const TREND_MARGIN = 0.9;

/**
 * The model of normal behaviour of one (metric, IP) series.
 *
 * It is a thin view over a compact byte state (`SERIES_MODEL_BYTES` bytes): every
 * number the model remembers lives in that buffer as float32, and each update reads
 * it, computes in double precision, and writes it back. A model restored from its
 * bytes therefore continues exactly where the previous process left off, and the
 * offline scorer, which keeps the model in memory, produces bit-identical scores.
 *
 * What it learns, incrementally per closed bucket:
 * - two levels of the de-seasonalised series, a slow one (the baseline a shift is
 *   measured against) and a fast one (tracks wandering series), and a damped local
 *   trend (level and slope, Holt-style; follows random walks and smooth cycles the
 *   calendar cannot explain); the slow level gives the forecast unless another has had
 *   a clearly smaller recent absolute error;
 * - robust scales of the forecast errors (Huber-clamped mean absolute deviation);
 * - daily and weekly rhythm ({@link updateSeasonal});
 * - calibrated tails of the spike, level-shift and sustained-shift statistics
 *   ({@link updateCalibrator}), learned one bucket late so that runs of high scores
 *   (incidents) teach them little and isolated bursts teach them fully;
 * - the typical size of activity when an idle series wakes up (the onset), which
 *   keeps intermittent series from being scored against the near-zero spread of
 *   their idle minutes;
 * - how often the series repeats its previous value exactly, and how often an active
 *   bucket is followed by an empty one (and an empty one by another) in each band of
 *   its slow forecast, for the stuck and empty views, which look only during such runs.
 *
 * A level shift that persists for `acceptAfter` buckets is accepted as the new normal;
 * the level it left is remembered, and a return to it is taken back after 3 buckets.
 */
export class SeriesModel {
  private readonly bytes: Uint8Array;
  private readonly header: DataView;
  private readonly f: Float32Array;
  private readonly options: SeriesModelOptions;

  private constructor(bytes: Uint8Array, options: SeriesModelOptions) {
    this.bytes = bytes;
    this.header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    this.f = new Float32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, FLOATS);
    this.options = options;
  }

  /**
   * A new, empty model for a series with this step (seconds between buckets).
   * `calendar` says whether timestamps are epoch seconds (true live; false for an
   * offline series indexed 1, 2, 3…), which decides whether rhythm can be learned.
   */
  static create(step: number, calendar: boolean, options: SeriesModelOptions = defaultSeriesModelOptions): SeriesModel {
    if (!(step > 0 && Number.isFinite(step))) throw new InvalidOptionError('step', `must be a positive number of seconds, e.g. 60 (got ${step})`);
    const model = new SeriesModel(new Uint8Array(SERIES_MODEL_BYTES), options);
    const layout = options.seasonality === 'auto' ? seasonalLayout(step, calendar) : { daily: false, weekly: false };
    let flags = calendar ? FLAG_CALENDAR : 0;
    if (layout.daily) flags |= FLAG_DAILY;
    if (layout.weekly) flags |= FLAG_WEEKLY;
    if (options.transform !== 'auto') flags |= FLAG_RESOLVED | (options.transform === 'log' ? FLAG_LOG : 0);
    model.header.setUint8(H_VERSION, VERSION);
    model.header.setUint8(H_FLAGS, flags);
    model.header.setFloat64(H_STEP, step, true);
    model.header.setFloat64(H_FIRST_TS, Number.NaN, true);
    model.header.setFloat64(H_LAST_TS, Number.NaN, true);
    for (const slots of [F_SPIKE_UP, F_SPIKE_DOWN, F_SHIFT_UP, F_SHIFT_DOWN, F_DRIFT_UP, F_DRIFT_DOWN]) initCalibrator(model.f, slots);
    model.f[F_QUANTUM] = options.quantum ?? 0;
    model.f[F_ONSET] = Number.NaN;
    model.f[F_PENDING_SPIKE] = Number.NaN;
    model.f[F_PRIOR_LEVEL] = Number.NaN;
    model.f[F_REPEAT_START] = REPEAT_START_PRIOR;
    model.f[F_REPEAT_CONTINUE] = REPEAT_CONTINUE_PRIOR;
    for (let b = 0; b < EMPTY_BANDS; b++) {
      model.f[F_EMPTY_START + b] = EMPTY_START_PRIOR;
      model.f[F_EMPTY_CONTINUE + b] = EMPTY_CONTINUE_PRIOR;
    }
    return model;
  }

  /**
   * Restores a model from {@link SeriesModel.encode} output. The bytes are copied
   * unless `shared` is true, in which case the model works in them directly (the
   * caller hands them over, as the state codec does with its own copy).
   */
  static decode(bytes: Uint8Array, options: SeriesModelOptions = defaultSeriesModelOptions, shared = false): SeriesModel {
    if (bytes.length !== SERIES_MODEL_BYTES) {
      throw new StateDecodeError(`series model state must be ${SERIES_MODEL_BYTES} bytes, got ${bytes.length}`);
    }
    if (bytes[H_VERSION] !== VERSION) {
      throw new StateDecodeError(`series model state version ${String(bytes[H_VERSION])} is not supported (expected ${VERSION})`);
    }
    return new SeriesModel(shared ? bytes : bytes.slice(), options);
  }

  /** The compact state (a copy). */
  encode(): Uint8Array {
    return this.bytes.slice();
  }

  /** Copies the state into `target` at `offset` (no intermediate buffer). */
  writeTo(target: Uint8Array, offset: number): void {
    target.set(this.bytes, offset);
  }

  /** Number of buckets learned so far. */
  get count(): number {
    return this.header.getUint32(H_COUNT, true);
  }

  /** Start of the last bucket learned (NaN before the first). */
  get lastTs(): number {
    return this.header.getFloat64(H_LAST_TS, true);
  }

  /** Seconds between buckets. */
  get step(): number {
    return this.header.getFloat64(H_STEP, true);
  }

  private get flags(): number {
    return this.header.getUint8(H_FLAGS);
  }

  /**
   * Scores the bucket starting at `ts` with raw `value`, then learns from it.
   * Buckets must arrive in time order; gaps are allowed (nothing is learned for them).
   */
  update(ts: number, value: number): SeriesScore {
    if (!Number.isFinite(value)) throw new InvalidBucketError(`value at ${ts} must be a finite number, got ${value}`);
    if (!Number.isFinite(ts)) throw new InvalidBucketError(`timestamp must be a finite number, got ${ts}`);
    const last = this.lastTs;
    if (ts <= last) throw new InvalidBucketError(`bucket ${ts} is not after the last learned bucket ${last}; buckets must arrive in time order`);
    const n = this.count;
    if (n === 0) this.header.setFloat64(H_FIRST_TS, ts, true);
    const result = n < WARMUP ? this.warmUp(ts, value, n) : this.learn(ts, value, n);
    this.header.setUint32(H_COUNT, Math.min(n + 1, 0xffffffff), true);
    this.header.setFloat64(H_LAST_TS, ts, true);
    this.trackQuantum(value, n);
    return result;
  }

  private trackQuantum(value: number, n: number): void {
    if (n > 0 && value > 0 && this.f[F_LAST_RAW] === 0) this.trackOnset(value);
    if (this.options.quantum === undefined && n > 0) {
      // Both sides as stored (float32), so a repeated 7.3 is no change of 2e-7; the
      // threshold is relative, so a series of tiny magnitudes (1e-9) has a resolution too.
      const last = this.f[F_LAST_RAW] as number;
      const delta = Math.abs(Math.fround(value) - last);
      const q = this.f[F_QUANTUM] as number;
      if (delta > 1e-6 * Math.max(Math.abs(value), Math.abs(last)) && (q === 0 || delta < q)) this.f[F_QUANTUM] = delta;
    }
    this.f[F_LAST_RAW] = value;
  }

  /**
   * Tracks the low (10 %) quantile of values that follow an empty bucket, on a log
   * scale: how big activity typically is when an intermittent series wakes up. It sets
   * the spike view's floor near zero, so a quiet host's ordinary one-off transfer is
   * not scored as if the scale were the near-zero spread of its idle minutes.
   */
  private trackOnset(value: number): void {
    const log = Math.log(value);
    const onset = this.f[F_ONSET] as number;
    if (Number.isNaN(onset)) {
      this.f[F_ONSET] = log;
      return;
    }
    this.f[F_ONSET] = onset + ONSET_STEP * (ONSET_QUANTILE - (log < onset ? 1 : 0));
  }

  /**
   * Learns how ordinary repeats are. The start rate learns every bucket that follows a
   * non-repeat; the continue rate learns a run only when it ends (all its repeats and
   * the break at once), so a run in progress is scored against the rates from before
   * it, and a run that ended with a high score (an incident) teaches them little.
   */
  private learnRepeats(run: number, learned: number): void {
    const f = this.f;
    const previousRun = f[F_REPEAT_RUN] as number;
    f[F_REPEAT_RUN] = run;
    if (previousRun === 0) {
      const step = Math.max(1 / (REPEAT_PRIOR_COUNT + learned), 1 / REPEAT_WINDOW);
      const rate = f[F_REPEAT_START] as number;
      f[F_REPEAT_START] = rate + step * ((run > 0 ? 1 : 0) - rate);
      return;
    }
    if (run > 0) return;
    // The run's last bucket (scored before this one) says whether it was alarming.
    const weight = (f[F_PREV2_SCORE] as number) >= this.options.learningGuard ? CALIBRATION_GUARD_WEIGHT : 1;
    let rate = f[F_REPEAT_CONTINUE] as number;
    const repeats = Math.min(previousRun, REPEAT_RUN_LEARNED);
    for (let i = 0; i < repeats; i++) {
      const outcome = i < repeats - 1 ? 1 : 0;
      rate += (weight * (outcome - rate)) / REPEAT_CONTINUE_PRIOR_COUNT;
    }
    f[F_REPEAT_CONTINUE] = rate;
  }

  private transformCode(): TransformCode {
    return (this.flags & FLAG_LOG) !== 0 ? 1 : 0;
  }

  private warmUp(ts: number, value: number, n: number): SeriesScore {
    this.f[F_RING + n] = value;
    if (n === WARMUP - 1) this.initialise();
    return {
      ts,
      value,
      score: 0,
      p: 1,
      view: undefined,
      direction: undefined,
      expected: value,
      lower: value,
      upper: value,
      coldStart: true,
      reason: `warming up: ${n + 1} of ${WARMUP} buckets seen`,
      views: [],
    };
  }

  /** After warm-up: fix the transform, start levels at the median and scales at the MAD. */
  private initialise(): void {
    const raw = Array.from(this.f.subarray(F_RING, F_RING + WARMUP));
    let flags = this.flags;
    const nonNegative = raw.every((v) => v >= 0);
    if ((flags & FLAG_RESOLVED) === 0) flags |= FLAG_RESOLVED | (nonNegative ? FLAG_LOG : 0);
    if (nonNegative) flags |= FLAG_NON_NEGATIVE;
    this.header.setUint8(H_FLAGS, flags);
    const code = this.transformCode();
    const positive = raw.filter((v) => v > 0);
    // At least float32's smallest normal number: the state stores the offset as float32,
    // and a subnormal warm-up value (1e-45) would store 0 and divide by it.
    const offset = this.options.offset ?? (positive.length > 0 ? Math.max(0.5 * Math.min(...positive), FLOAT32_MIN_NORMAL) : 1);
    this.f[F_OFFSET] = offset;
    const y = raw.map((v) => forward(code, v, offset));
    const center = median(y);
    const spread = madScale(y, center) / MEAN_ABS_TO_SIGMA;
    this.f[F_LEVEL_SLOW] = center;
    this.f[F_LEVEL_FAST] = center;
    this.f[F_ABS_SLOW] = spread;
    this.f[F_ABS_FAST] = spread;
    this.f[F_ABS_SHIFT] = spread * 0.7;
    this.f[F_ABS_DRIFT] = spread * 0.3;
    this.f[F_TREND_LEVEL] = center;
    this.f[F_TREND_SLOPE] = 0;
    this.f[F_ABS_TREND] = spread;
    y.forEach((v, i) => {
      this.f[F_RING + i] = v;
    });
    this.f[F_RING_POS] = 0;
  }

  /** Smallest scale worth resolving, in model units, near raw level `rawLevel`. */
  private floor(code: TransformCode, rawLevel: number, level: number): number {
    const q = this.f[F_QUANTUM] as number;
    const fromQuantum = q > 0 ? q * slope(code, rawLevel, this.f[F_OFFSET] as number) : 0;
    const relative = code === 1 ? 1e-3 : 1e-6 * Math.abs(level);
    return Math.max(fromQuantum, relative, 1e-12);
  }

  /** Spike-view floor from the typical onset size: large near zero, negligible at busy levels. */
  private onsetFloor(code: TransformCode, rawLevel: number): number {
    const onset = this.f[F_ONSET] as number;
    if (code !== 1 || Number.isNaN(onset)) return 0;
    const level = Math.max(0, rawLevel);
    const offset = this.f[F_OFFSET] as number;
    return 0.5 * (Math.log1p((level + Math.exp(onset)) / offset) - Math.log1p(level / offset));
  }

  private learn(ts: number, value: number, n: number): SeriesScore {
    const f = this.f;
    const code = this.transformCode();
    const flags = this.flags;
    const useDaily = (flags & FLAG_DAILY) !== 0;
    const useWeekly = (flags & FLAG_WEEKLY) !== 0;
    const step = this.step;
    const center = ts + step / 2;
    const age = ts - this.header.getFloat64(H_FIRST_TS, true);

    const offset = f[F_OFFSET] as number;
    const y = forward(code, value, offset);
    const season = seasonalValue(f, SLOTS, useDaily, useWeekly, center);
    const u = y - season;
    const levelSlow = f[F_LEVEL_SLOW] as number;
    const levelFast = f[F_LEVEL_FAST] as number;
    const absSlow = f[F_ABS_SLOW] as number;
    const absFast = f[F_ABS_FAST] as number;
    const trendLevel = f[F_TREND_LEVEL] as number;
    const trendSlope = f[F_TREND_SLOPE] as number;
    const absTrend = f[F_ABS_TREND] as number;
    const trendForecast = trendLevel + TREND_DAMP * trendSlope;
    // Forecaster: the slow level, unless the fast level or the local trend has clearly
    // predicted better lately (wandering series, random walks, smooth cycles the
    // calendar cannot explain).
    const useFast = absFast < FAST_MARGIN * absSlow;
    const bestOther = useFast ? absFast : absSlow;
    const useTrend = absTrend < TREND_MARGIN * bestOther;
    const level = useTrend ? trendForecast : useFast ? levelFast : levelSlow;
    const forecast = level + season;
    const rawForecast = inverse(code, forecast, offset);
    const floor = this.floor(code, rawForecast, forecast);
    const sigmaSlow = Math.hypot(absSlow * MEAN_ABS_TO_SIGMA, floor);
    const sigmaFast = Math.hypot(absFast * MEAN_ABS_TO_SIGMA, floor);
    const sigmaTrend = Math.hypot(absTrend * MEAN_ABS_TO_SIGMA, floor);
    const sigma = Math.hypot(useTrend ? sigmaTrend : useFast ? sigmaFast : sigmaSlow, this.onsetFloor(code, rawForecast));

    const pos = f[F_RING_POS] as number;
    const prev1 = f[F_RING + ((pos + RING - 1) % RING)] as number;
    const prev2 = f[F_RING + ((pos + RING - 2) % RING)] as number;
    const shift = median3(prev2, prev1, u) - levelSlow;
    const sigmaShift = Math.hypot((f[F_ABS_SHIFT] as number) * MEAN_ABS_TO_SIGMA, floor);
    const drift = (1 - DRIFT_LAMBDA) * (f[F_DRIFT] as number) + DRIFT_LAMBDA * huber(u - levelSlow, DRIFT_CLAMP * sigmaSlow);
    const sigmaDrift = Math.hypot((f[F_ABS_DRIFT] as number) * MEAN_ABS_TO_SIGMA, floor * DRIFT_LAMBDA);

    const learned = n - WARMUP;
    const confidence = this.options.maturity === 0 ? 1 : Math.min(1, (learned + 1) / this.options.maturity);
    const shiftConfidence = useDaily ? Math.min(confidence, Math.max(0, age / DAY)) : confidence;
    const repeatRun = Math.fround(value) === f[F_LAST_RAW] ? (f[F_REPEAT_RUN] as number) + 1 : 0;
    const views: ViewResult[] = [
      spikeView(f, F_SPIKE_UP, F_SPIKE_DOWN, y - forecast, sigma, confidence),
      levelShiftView(f, F_SHIFT_UP, F_SHIFT_DOWN, shift, sigmaShift, shiftConfidence),
      sustainedShiftView(f, F_DRIFT_UP, F_DRIFT_DOWN, drift, sigmaDrift, shiftConfidence),
    ];
    // The stuck view looks only while the series repeats itself (a bucket that differs
    // from its predecessor is no evidence of being stuck, so it does not count as a
    // test), and only on series where repeats are rare: where they are common (idle
    // counts, saturated distinct counts) their runs are long-tailed and a run's length
    // says little.
    const startRate = Math.max(REPEAT_START_MIN, f[F_REPEAT_START] as number);
    if (repeatRun > 0 && startRate <= REPEAT_RARE) {
      const continueRate = Math.min(1, Math.max(REPEAT_CONTINUE_MIN, f[F_REPEAT_CONTINUE] as number));
      views.push(stuckView(repeatRun, startRate, continueRate, confidence));
    }
    // Empty view: a zero where the slow forecast (which an incident barely moves)
    // expects activity; evidence accumulates over a run of empty buckets.
    const previousEmpty = f[F_LAST_RAW] === 0;
    const emptyBand = Math.min(EMPTY_BANDS - 1, Math.max(0, Math.floor((levelSlow + season) / EMPTY_BAND_WIDTH)));
    const empty = value === 0 && code === 1;
    let emptyLogP = 0;
    let emptyRun = 0;
    if (empty && (f[F_EMPTY_START + emptyBand] as number) <= EMPTY_RARE) {
      const factor = previousEmpty
        ? Math.max(EMPTY_CONTINUE_MIN, f[F_EMPTY_CONTINUE + emptyBand] as number)
        : Math.max(EMPTY_START_MIN, f[F_EMPTY_START + emptyBand] as number);
      emptyLogP = (previousEmpty ? (f[F_EMPTY_LOGP] as number) : 0) + Math.log(factor);
      emptyRun = (previousEmpty ? (f[F_EMPTY_RUN] as number) : 0) + 1;
      views.push(emptyView(emptyLogP, emptyRun, confidence));
    }
    const combined = combineViews(views);
    const top = combined.top;

    // Expected band: where either direction's spike tail reaches the learning guard.
    const bandP = probabilityFromScore(this.options.learningGuard) / BAND_VIEWS;
    const upper = inverse(code, forecast + sigma * tailQuantile(f, F_SPIKE_UP, bandP, true), offset);
    const lower = inverse(code, forecast - sigma * tailQuantile(f, F_SPIKE_DOWN, bandP), offset);

    // Learning. While the score stays high, levels and scales learn slowly so an
    // incident stays visible; a single high bucket moves them by a Huber-bounded step.
    const guard = this.options.learningGuard;
    const weight = combined.score >= guard && (f[F_PREV_SCORE] as number) >= guard ? 0.1 : 1;
    const errSlow = y - (levelSlow + season);
    const errFast = y - (levelFast + season);
    const psiSlow = huber(errSlow, HUBER * sigmaSlow);
    const psiFast = huber(errFast, HUBER * sigmaFast);
    const psiTrend = huber(y - (trendForecast + season), HUBER * sigmaTrend);
    let newTrendLevel = trendForecast + TREND_ALPHA * psiTrend;
    const newTrendSlope = TREND_DAMP * trendSlope + TREND_ALPHA * TREND_BETA * psiTrend;
    f[F_ABS_TREND] = absTrend + SCALE_RATE * weight * (Math.abs(psiTrend) - absTrend);
    const alphaSlow = useDaily ? Math.min(ALPHA_SLOW, (4 * step) / DAY) : ALPHA_SLOW;
    let newSlow = levelSlow + weight * alphaSlow * psiSlow;
    let newFast = levelFast + ALPHA_FAST * psiFast;
    f[F_ABS_SLOW] = absSlow + SCALE_RATE * weight * (Math.abs(psiSlow) - absSlow);
    f[F_ABS_FAST] = absFast + SCALE_RATE * weight * (Math.abs(psiFast) - absFast);
    const absShift = f[F_ABS_SHIFT] as number;
    f[F_ABS_SHIFT] = absShift + SHIFT_SCALE_RATE * weight * (Math.abs(huber(shift, HUBER * sigmaShift)) - absShift);
    const absDrift = f[F_ABS_DRIFT] as number;
    f[F_ABS_DRIFT] = absDrift + DRIFT_SCALE_RATE * weight * (Math.abs(huber(drift, HUBER * sigmaDrift)) - absDrift);
    f[F_DRIFT] = drift;

    const moved = updateSeasonal(f, SLOTS, useDaily, useWeekly, center, weight * psiSlow, step, age);
    newSlow += moved;
    newFast += moved;
    newTrendLevel += moved;

    // Tails learn one bucket late, once it is known whether that bucket stood alone
    // (an isolated burst: how a bursty or intermittent series shows its heavy tail,
    // learned in full) or belonged to a run of high scores (an incident, learned at a
    // twentieth so it does not teach itself normal while it lasts).
    const pendingSpike = f[F_PENDING_SPIKE] as number;
    if (!Number.isNaN(pendingSpike)) {
      const previous = f[F_PREV_SCORE] as number;
      const inRun = previous >= guard && ((f[F_PREV2_SCORE] as number) >= guard || combined.score >= guard);
      const tailWeight = inRun ? CALIBRATION_GUARD_WEIGHT : 1;
      const pendingShift = f[F_PENDING_SHIFT] as number;
      const pendingDrift = f[F_PENDING_DRIFT] as number;
      updateCalibrator(f, F_SPIKE_UP, pendingSpike, learned - 1, tailWeight);
      updateCalibrator(f, F_SPIKE_DOWN, -pendingSpike, learned - 1, tailWeight);
      updateCalibrator(f, F_SHIFT_UP, pendingShift, learned - 1, tailWeight);
      updateCalibrator(f, F_SHIFT_DOWN, -pendingShift, learned - 1, tailWeight);
      updateCalibrator(f, F_DRIFT_UP, pendingDrift, learned - 1, tailWeight);
      updateCalibrator(f, F_DRIFT_DOWN, -pendingDrift, learned - 1, tailWeight);
    }
    const zShift = (views[1] as ViewResult).z;
    f[F_PENDING_SPIKE] = (views[0] as ViewResult).z;
    f[F_PENDING_SHIFT] = zShift;
    f[F_PENDING_DRIFT] = (views[2] as ViewResult).z;
    f[F_PREV2_SCORE] = f[F_PREV_SCORE] as number;
    f[F_PREV_SCORE] = combined.score;

    f[F_RING + pos] = u;
    f[F_RING_POS] = (pos + 1) % RING;
    this.learnRepeats(repeatRun, learned);
    if (code === 1) {
      const emptyWeight = combined.score >= guard && (f[F_PREV2_SCORE] as number) >= guard ? CALIBRATION_GUARD_WEIGHT : 1;
      const slot = (previousEmpty ? F_EMPTY_CONTINUE : F_EMPTY_START) + emptyBand;
      const step = previousEmpty ? EMPTY_CONTINUE_STEP : Math.max(1 / (EMPTY_PRIOR_COUNT + learned), 1 / EMPTY_WINDOW);
      const rate = f[slot] as number;
      f[slot] = rate + emptyWeight * step * ((empty ? 1 : 0) - rate);
      f[F_EMPTY_LOGP] = emptyLogP;
      f[F_EMPTY_RUN] = emptyRun;
    }

    // A shift that persists is the new normal: move the slow level onto it. A bucket is
    // strongly shifted when the level-shift view is, or the sustained-shift view is in
    // the same direction: a small shift (2 σ) rarely moves a median of three by 4 σ, but
    // its running mean soon does, and without this it would stay "anomalous" for
    // hundreds of buckets after it began.
    const zDrift = (views[2] as ViewResult).z;
    const zPersist = Math.sign(zDrift) === Math.sign(zShift) && Math.abs(zDrift) > Math.abs(zShift) ? zDrift : zShift;
    const run = f[F_SHIFT_RUN] as number;
    const strong = Math.abs(zPersist) >= STRONG_SHIFT ? Math.sign(zPersist) : 0;
    const newRun = strong === 0 ? 0 : Math.sign(run) === strong ? run + strong : strong;
    // A return to the level the series had before its last accepted shift (a regime that
    // ended: a night that looked like a day, a busy spell, a stuck sensor freed) is a
    // level already known to be normal: it is taken back once a median of three lies
    // wholly there (3 strongly shifted buckets) instead of being scored as a new shift
    // for acceptAfter buckets.
    const prior = f[F_PRIOR_LEVEL] as number;
    const m3 = median3(prev2, prev1, u);
    const back =
      !Number.isNaN(prior) && Math.abs(newRun) >= RETURN_AFTER && Math.sign(prior - levelSlow) === strong && Math.abs(m3 - prior) <= RETURN_BAND * sigmaShift;
    if (back) {
      f[F_PRIOR_LEVEL] = levelSlow;
      newSlow = m3;
      newFast = m3;
      f[F_SHIFT_RUN] = 0;
      f[F_DRIFT] = 0;
    } else if (Math.abs(newRun) >= this.options.acceptAfter) {
      f[F_PRIOR_LEVEL] = levelSlow;
      const recent: number[] = [];
      for (let i = 0; i < 5; i++) recent.push(f[F_RING + ((pos - i + RING) % RING)] as number);
      newSlow = median(recent);
      newFast = newSlow;
      f[F_SHIFT_RUN] = 0;
      f[F_DRIFT] = 0;
    } else {
      f[F_SHIFT_RUN] = newRun;
    }
    f[F_LEVEL_SLOW] = newSlow;
    f[F_LEVEL_FAST] = newFast;
    f[F_TREND_LEVEL] = newTrendLevel;
    f[F_TREND_SLOPE] = newTrendSlope;

    const reason =
      confidence < 1
        ? `cold start: ${learned + 1} of ${this.options.maturity} buckets of history, score damped`
        : shiftConfidence < 1
          ? 'first day: daily rhythm not yet learned, level-shift view damped'
          : undefined;
    return {
      ts,
      value,
      score: combined.score,
      p: combined.p,
      view: top?.view,
      direction: top === undefined ? undefined : top.z >= 0 ? 'up' : 'down',
      expected: rawForecast,
      lower: Math.min((flags & FLAG_NON_NEGATIVE) !== 0 && code === 1 ? Math.max(0, lower) : lower, rawForecast),
      upper: Math.max(upper, rawForecast),
      coldStart: confidence < 1,
      reason,
      views,
    };
  }
}

/** True when the bytes look like a series model state (for codecs that hold several parts). */
export function isSeriesModelState(bytes: Uint8Array): boolean {
  return bytes.length === SERIES_MODEL_BYTES && bytes[H_VERSION] === VERSION;
}
