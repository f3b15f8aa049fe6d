import { InvalidBucketError, StateDecodeError } from './errors';
import type { ViewResult } from './scoreCombiner';
import { CALIBRATOR_SLOTS, initCalibrator, updateCalibrator } from './tailCalibrator';
import { distributionShiftView } from './views/distributionShift';

/** Counts per category for one bucket of a histogram series (e.g. connection state → count). */
export type Histogram = Readonly<Record<string, number>>;

/** Categories tracked by name; rarer ones share an `other` slot. */
export const MAX_CATEGORIES = 8;
const OTHER = MAX_CATEGORIES;
const SLOTS = MAX_CATEGORIES + 1;
const VERSION = 1;
const MAX_NAME_BYTES = 64;

const F_DISPERSION = 0;
const F_UPDATES = 1;
const F_CAL = 2;
const F_SHARES = F_CAL + CALIBRATOR_SLOTS;
const FLOATS = F_SHARES + SLOTS;

const SMOOTHING = 0.005;
const DISPERSION_RATE = 0.02;
const MIN_SHARE_RATE = 0.02;
const MATURITY = 60;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The learned mix of a histogram series: shares of up to {@link MAX_CATEGORIES} named
 * categories plus `other`, an over-dispersion factor and a calibrated tail for the
 * distribution-shift view. A category never seen before takes a free slot (so "first
 * REJ ever" is visible); shares are learned as a running mean at first and an
 * exponential average (≈ 50 buckets) after, slowed while the view is alarming.
 */
export class DistributionModel {
  private readonly names: string[];
  private readonly f: Float32Array;

  private constructor(names: string[], f: Float32Array) {
    this.names = names;
    this.f = f;
  }

  static create(): DistributionModel {
    const f = new Float32Array(FLOATS);
    f[F_DISPERSION] = 1.5;
    initCalibrator(f, F_CAL);
    return new DistributionModel([], f);
  }

  /** Encoded size in bytes. */
  byteLength(): number {
    let names = 0;
    for (const name of this.names) names += 1 + Math.min(MAX_NAME_BYTES, encoder.encode(name).length);
    return 2 + names + FLOATS * 4;
  }

  /** Writes the state into `target` at `offset`; returns the offset after it. */
  writeTo(target: Uint8Array, offset: number): number {
    let at = offset;
    target[at++] = VERSION;
    target[at++] = this.names.length;
    for (const name of this.names) {
      const bytes = encoder.encode(name).subarray(0, MAX_NAME_BYTES);
      target[at++] = bytes.length;
      target.set(bytes, at);
      at += bytes.length;
    }
    const view = new DataView(target.buffer, target.byteOffset);
    for (let i = 0; i < FLOATS; i++) {
      view.setFloat32(at, this.f[i] as number, true);
      at += 4;
    }
    return at;
  }

  /** Reads a state written by {@link writeTo}; returns the model and the offset after it. */
  static readFrom(source: Uint8Array, offset: number): { model: DistributionModel; end: number } {
    let at = offset;
    const need = (bytes: number): void => {
      if (at + bytes > source.length) throw new StateDecodeError('distribution state is truncated');
    };
    need(2);
    if (source[at] !== VERSION) throw new StateDecodeError(`distribution state version ${String(source[at])} is not supported`);
    const count = source[at + 1] as number;
    at += 2;
    if (count > MAX_CATEGORIES) throw new StateDecodeError(`distribution state has ${count} categories; at most ${MAX_CATEGORIES} fit`);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      need(1);
      const length = source[at++] as number;
      need(length);
      names.push(decoder.decode(source.subarray(at, at + length)));
      at += length;
    }
    need(FLOATS * 4);
    const view = new DataView(source.buffer, source.byteOffset);
    const f = new Float32Array(FLOATS);
    for (let i = 0; i < FLOATS; i++) {
      f[i] = view.getFloat32(at, true);
      at += 4;
    }
    return { model: new DistributionModel(names, f), end: at };
  }

  /**
   * Scores one bucket's histogram against the learned mix, then learns from it.
   * Returns undefined when the bucket is empty (nothing to compare) or for the very
   * first non-empty bucket (nothing learned yet). `guard` is the score above which
   * learning slows; `scoreOf` turns a view result into that score.
   */
  update(histogram: Histogram, guard: number, scoreOf: (view: ViewResult) => number): ViewResult | undefined {
    const observed = new Float64Array(SLOTS);
    let total = 0;
    for (const [category, count] of Object.entries(histogram)) {
      if (!(Number.isFinite(count) && count >= 0)) {
        throw new InvalidBucketError(`histogram count for ${JSON.stringify(category)} must be a finite number ≥ 0, got ${count}`);
      }
      if (count === 0) continue;
      const slot = this.slotFor(category);
      observed[slot] = (observed[slot] as number) + count;
      total += count;
    }
    if (total === 0) return undefined;
    const updates = this.f[F_UPDATES] as number;
    const shares = new Float64Array(SLOTS);
    let result: ViewResult | undefined;
    let weight = 1;
    if (updates > 0) {
      const used = this.names.length + 1;
      for (let i = 0; i < SLOTS; i++) {
        const active = i < this.names.length || i === OTHER;
        shares[i] = active ? ((this.f[F_SHARES + i] as number) + SMOOTHING) / (1 + SMOOTHING * used) : 0;
      }
      const names = [...this.names];
      while (names.length < OTHER) names.push('');
      names.push('other');
      const confidence = Math.min(1, updates / MATURITY);
      result = distributionShiftView(this.f, F_CAL, observed, shares, names, this.f[F_DISPERSION] as number, confidence);
      if (scoreOf(result) >= guard) weight = 0.1;
      const df = Math.max(1, used - 1);
      const gOverDf = dispersionEvidence(result.z, df);
      const dispersion = this.f[F_DISPERSION] as number;
      this.f[F_DISPERSION] = Math.max(1, dispersion + weight * DISPERSION_RATE * (Math.min(gOverDf * dispersion, 5 * dispersion) - dispersion));
      updateCalibrator(this.f, F_CAL, result.z, updates, weight);
    }
    const rate = weight * Math.max(1 / (updates + 1), MIN_SHARE_RATE) * Math.min(1, total / 5);
    for (let i = 0; i < SLOTS; i++) {
      const share = this.f[F_SHARES + i] as number;
      this.f[F_SHARES + i] = share + rate * ((observed[i] as number) / total - share);
    }
    this.f[F_UPDATES] = Math.min(updates + 1, 1e7);
    this.forgetFadedCategories();
    return result;
  }

  private slotFor(category: string): number {
    const index = this.names.indexOf(category);
    if (index >= 0) return index;
    if (this.names.length < MAX_CATEGORIES) {
      this.names.push(category);
      this.f[F_SHARES + this.names.length - 1] = 0;
      return this.names.length - 1;
    }
    return OTHER;
  }

  /** A category whose share has faded to nearly nothing gives its slot back (its share joins `other`). */
  private forgetFadedCategories(): void {
    if ((this.f[F_UPDATES] as number) < 200) return;
    for (let i = this.names.length - 1; i >= 0; i--) {
      const share = this.f[F_SHARES + i] as number;
      if (share >= 1e-4) continue;
      this.f[F_SHARES + OTHER] = (this.f[F_SHARES + OTHER] as number) + share;
      const last = this.names.length - 1;
      this.names[i] = this.names[last] as string;
      this.f[F_SHARES + i] = this.f[F_SHARES + last] as number;
      this.f[F_SHARES + last] = 0;
      this.names.pop();
    }
  }
}

/** Inverts the Wilson–Hilferty map to recover G/(φ·df), used to learn the over-dispersion. */
function dispersionEvidence(z: number, df: number): number {
  const v = 2 / (9 * df);
  const root = Math.max(0, z * Math.sqrt(v) + 1 - v);
  return root * root * root;
}
