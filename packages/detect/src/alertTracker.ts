import { InvalidOptionError } from './errors';
import type { ViewName } from './scoreCombiner';

/** When a series' scores become an alert, and when that alert ends. */
export interface AlertOptions {
  /** Score at or above which a bucket counts as anomalous. Default 0.4 (tail probability ≤ 1e-4). */
  threshold: number;
  /** Consecutive anomalous buckets needed to open an alert. Default 2. */
  minBuckets: number;
  /** A single bucket at or above this score opens an alert at once. Default 0.6 (p ≤ 1e-6). */
  immediateThreshold: number;
  /** Consecutive buckets below `closeThreshold` that end an open alert. Default 5 (an episode that flickers stays one alert). */
  closeAfter: number;
  /** Score under which a bucket counts toward closing. Default 0.75 × threshold (hysteresis). */
  closeThreshold: number | undefined;
}

/** Defaults: an alert needs two anomalous buckets in a row, or one extreme one. */
export const defaultAlertOptions: AlertOptions = {
  threshold: 0.4,
  minBuckets: 2,
  immediateThreshold: 0.6,
  closeAfter: 5,
  closeThreshold: undefined,
};

/** Merges and checks alert options; an impossible value names the option and a value that works. */
export function resolveAlertOptions(partial: Partial<AlertOptions> = {}): AlertOptions {
  const options: AlertOptions = { ...defaultAlertOptions, ...partial };
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    throw new InvalidOptionError('threshold', `must be in (0, 1], e.g. 0.4 (got ${options.threshold})`);
  }
  if (!(options.immediateThreshold >= options.threshold && options.immediateThreshold <= 1)) {
    throw new InvalidOptionError('immediateThreshold', `must be in [threshold, 1], e.g. 0.6 (got ${options.immediateThreshold})`);
  }
  if (!Number.isInteger(options.minBuckets) || options.minBuckets < 1) {
    throw new InvalidOptionError('minBuckets', `must be an integer ≥ 1, e.g. 2 (got ${options.minBuckets})`);
  }
  if (!Number.isInteger(options.closeAfter) || options.closeAfter < 1) {
    throw new InvalidOptionError('closeAfter', `must be an integer ≥ 1, e.g. 5 (got ${options.closeAfter})`);
  }
  const close = options.closeThreshold ?? 0.75 * options.threshold;
  if (!(close > 0 && close <= options.threshold)) {
    throw new InvalidOptionError('closeThreshold', `must be in (0, threshold], e.g. ${0.75 * options.threshold} (got ${close})`);
  }
  return { ...options, closeThreshold: close };
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Severity from the peak score: the rarer the deviation, the more severe. */
export function severityOf(score: number): Severity {
  if (score >= 0.95) return 'critical';
  if (score >= 0.75) return 'high';
  if (score >= 0.55) return 'medium';
  return 'low';
}

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const VIEW_CODES: readonly ViewName[] = ['spike', 'levelShift', 'distribution', 'newcomer', 'sustainedShift', 'stuck', 'empty', 'peerBeacon', 'peerFlow'];

/** What the tracker decided for one bucket. */
export interface AlertTransition {
  type: 'open' | 'update' | 'close';
  /** Start of the first anomalous bucket of the episode. */
  start: number;
  /** For `close`: start of the first bucket of the closing quiet run (the episode's end). */
  end: number | undefined;
  peakScore: number;
  peakView: ViewName | undefined;
  severity: Severity;
}

const S_OPEN = 0;
const S_ABOVE = 1;
const S_BELOW = 2;
const S_START = 3;
const S_PEAK = 4;
const S_PEAK_VIEW = 5;
const S_SEVERITY = 6;
const S_CANDIDATE = 7;
const SLOTS = 8;

/** Bytes of one tracker's state. */
export const ALERT_TRACKER_BYTES = SLOTS * 8;

/**
 * Per-series alert state machine: opens an alert when the score stays above the
 * threshold (or jumps above the immediate threshold), keeps exactly one alert open
 * per series while it lasts (de-duplication), reports an update only when the
 * severity rises, and closes after a run of quiet buckets. Its state is 64 bytes and
 * travels with the model state, so a restarted detector continues an open alert.
 */
export class AlertTracker {
  private readonly s: Float64Array;

  private constructor(s: Float64Array) {
    this.s = s;
  }

  static create(): AlertTracker {
    const s = new Float64Array(SLOTS);
    s[S_START] = Number.NaN;
    s[S_CANDIDATE] = Number.NaN;
    return new AlertTracker(s);
  }

  static readFrom(source: Uint8Array, offset: number): AlertTracker {
    const view = new DataView(source.buffer, source.byteOffset + offset, ALERT_TRACKER_BYTES);
    const s = new Float64Array(SLOTS);
    for (let i = 0; i < SLOTS; i++) s[i] = view.getFloat64(i * 8, true);
    return new AlertTracker(s);
  }

  writeTo(target: Uint8Array, offset: number): void {
    const view = new DataView(target.buffer, target.byteOffset + offset, ALERT_TRACKER_BYTES);
    for (let i = 0; i < SLOTS; i++) view.setFloat64(i * 8, this.s[i] as number, true);
  }

  /** True while an alert is open for this series. */
  get isOpen(): boolean {
    return this.s[S_OPEN] === 1;
  }

  /** Start of the open alert (NaN when none). */
  get start(): number {
    return this.s[S_START] as number;
  }

  /** Feeds one bucket's score; returns what changed, if anything. */
  observe(ts: number, score: number, view: ViewName | undefined, options: AlertOptions): AlertTransition | undefined {
    const s = this.s;
    const anomalous = score >= options.threshold;
    const quiet = score < (options.closeThreshold ?? 0.75 * options.threshold);
    if (s[S_OPEN] !== 1) {
      if (!anomalous) {
        s[S_ABOVE] = 0;
        s[S_CANDIDATE] = Number.NaN;
        return undefined;
      }
      if (s[S_ABOVE] === 0) {
        s[S_CANDIDATE] = ts;
        s[S_PEAK] = 0;
      }
      s[S_ABOVE] = (s[S_ABOVE] as number) + 1;
      this.notePeak(score, view);
      if ((s[S_ABOVE] as number) < options.minBuckets && score < options.immediateThreshold) return undefined;
      s[S_OPEN] = 1;
      s[S_BELOW] = 0;
      s[S_START] = s[S_CANDIDATE] as number;
      const severity = severityOf(s[S_PEAK] as number);
      s[S_SEVERITY] = SEVERITY_RANK[severity];
      return this.transition('open', undefined, severity);
    }
    if (quiet) {
      s[S_BELOW] = (s[S_BELOW] as number) + 1;
      if ((s[S_BELOW] as number) === 1) s[S_CANDIDATE] = ts;
      if ((s[S_BELOW] as number) < options.closeAfter) return undefined;
      const end = s[S_CANDIDATE] as number;
      const transition = this.transition('close', end, severityOf(s[S_PEAK] as number));
      s[S_OPEN] = 0;
      s[S_ABOVE] = 0;
      s[S_BELOW] = 0;
      s[S_START] = Number.NaN;
      s[S_CANDIDATE] = Number.NaN;
      s[S_PEAK] = 0;
      s[S_SEVERITY] = 0;
      return transition;
    }
    s[S_BELOW] = 0;
    this.notePeak(score, view);
    const severity = severityOf(s[S_PEAK] as number);
    if (SEVERITY_RANK[severity] <= (s[S_SEVERITY] as number)) return undefined;
    s[S_SEVERITY] = SEVERITY_RANK[severity];
    return this.transition('update', undefined, severity);
  }

  private notePeak(score: number, view: ViewName | undefined): void {
    if (score > (this.s[S_PEAK] as number)) {
      this.s[S_PEAK] = score;
      this.s[S_PEAK_VIEW] = view === undefined ? -1 : VIEW_CODES.indexOf(view);
    }
  }

  private transition(type: AlertTransition['type'], end: number | undefined, severity: Severity): AlertTransition {
    const code = this.s[S_PEAK_VIEW] as number;
    return {
      type,
      start: this.s[S_START] as number,
      end,
      peakScore: this.s[S_PEAK] as number,
      peakView: code >= 0 ? VIEW_CODES[code] : undefined,
      severity,
    };
  }
}
