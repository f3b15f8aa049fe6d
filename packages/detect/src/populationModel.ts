import { StateDecodeError } from './errors';
import { MEAN_ABS_TO_SIGMA, huber } from './robustStats';
import type { ViewResult } from './scoreCombiner';
import { CALIBRATOR_SLOTS, initCalibrator, updateCalibrator } from './tailCalibrator';
import { forward } from './transform';
import { newcomerView } from './views/newcomer';

const VERSION = 1;
const F_LEVEL = 0;
const F_ABS = 1;
const F_COUNT = 2;
const F_CAL = 3;
const FLOATS = F_CAL + CALIBRATOR_SLOTS;
const BYTES = 16 + FLOATS * 4;
const RATE_FLOOR = 0.01;
/** Newcomers needed before the view is trusted fully. */
const MATURITY = 50;

/**
 * What the first buckets of a metric's new series usually look like (log scale): a
 * robust level and spread of newcomers' first values and a calibrated upper tail.
 * Before the detector has run `quietPeriod` seconds everything is new, so the view
 * stays silent then while it learns from all series (a conservative, heavy prior).
 */
export class PopulationModel {
  private readonly f: Float32Array;
  private firstTs: number;

  private constructor(f: Float32Array, firstTs: number) {
    this.f = f;
    this.firstTs = firstTs;
  }

  static create(): PopulationModel {
    const f = new Float32Array(FLOATS);
    initCalibrator(f, F_CAL);
    return new PopulationModel(f, Number.NaN);
  }

  static decode(bytes: Uint8Array): PopulationModel {
    if (bytes.length !== BYTES || bytes[0] !== VERSION) throw new StateDecodeError(`population state must be ${BYTES} bytes of version ${VERSION}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const f = new Float32Array(FLOATS);
    for (let i = 0; i < FLOATS; i++) f[i] = view.getFloat32(16 + i * 4, true);
    return new PopulationModel(f, view.getFloat64(8, true));
  }

  encode(): Uint8Array {
    const bytes = new Uint8Array(BYTES);
    const view = new DataView(bytes.buffer);
    bytes[0] = VERSION;
    view.setFloat64(8, this.firstTs, true);
    for (let i = 0; i < FLOATS; i++) view.setFloat32(16 + i * 4, this.f[i] as number, true);
    return bytes;
  }

  /** Scores a young series' raw value at `ts`; undefined while the detector itself is young. */
  score(ts: number, value: number, quietPeriod: number): ViewResult | undefined {
    if (Number.isNaN(this.firstTs)) this.firstTs = ts;
    const count = this.f[F_COUNT] as number;
    if (ts - this.firstTs < quietPeriod || count < 5) return undefined;
    const y = forward(1, value);
    const sigma = Math.max(0.1, (this.f[F_ABS] as number) * MEAN_ABS_TO_SIGMA);
    return newcomerView(this.f, F_CAL, y - (this.f[F_LEVEL] as number), sigma, Math.min(1, count / MATURITY));
  }

  /** Learns from one newcomer's first value. */
  learn(value: number): void {
    const y = forward(1, value);
    const count = this.f[F_COUNT] as number;
    if (count === 0) {
      this.f[F_LEVEL] = y;
      this.f[F_ABS] = 0.5;
    } else {
      const level = this.f[F_LEVEL] as number;
      const abs = this.f[F_ABS] as number;
      const sigma = Math.max(0.1, abs * MEAN_ABS_TO_SIGMA);
      const rate = Math.max(1 / (count + 1), RATE_FLOOR);
      const psi = huber(y - level, 3 * sigma);
      updateCalibrator(this.f, F_CAL, (y - level) / sigma, count, 1);
      this.f[F_LEVEL] = level + rate * psi;
      this.f[F_ABS] = abs + rate * (Math.abs(psi) - abs);
    }
    this.f[F_COUNT] = Math.min(count + 1, 1e7);
  }
}
