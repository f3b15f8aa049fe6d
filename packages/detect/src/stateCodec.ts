import { ALERT_TRACKER_BYTES, AlertTracker } from './alertTracker';
import { DistributionModel } from './distributionModel';
import { StateDecodeError } from './errors';
import { SERIES_MODEL_BYTES, SERIES_MODEL_VERSION, SeriesModel, defaultSeriesModelOptions } from './seriesModel';
import type { SeriesModelOptions } from './seriesModel';
import { SeriesState } from './seriesState';

const MAGIC = 0x49;
const VERSION = 1;
const PREFIX = 4;
const FLAG_HISTOGRAM = 1;
/** Byte offset of the series' bucket count (uint32, little-endian) in an encoded state. */
export const STATE_COUNT_OFFSET = PREFIX + 4;

/**
 * Encodes a series state to compact bytes (≈ 410 bytes for a value series, plus the
 * category names and shares for a histogram series). Layout: magic, version, flags,
 * reserved; the value model; the alert tracker; the distribution model if any.
 */
export function encodeState(state: SeriesState): Uint8Array {
  const distributionBytes = state.distribution?.byteLength() ?? 0;
  const out = new Uint8Array(PREFIX + SERIES_MODEL_BYTES + ALERT_TRACKER_BYTES + distributionBytes);
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = state.distribution === undefined ? 0 : FLAG_HISTOGRAM;
  state.model.writeTo(out, PREFIX);
  state.tracker.writeTo(out, PREFIX + SERIES_MODEL_BYTES);
  state.distribution?.writeTo(out, PREFIX + SERIES_MODEL_BYTES + ALERT_TRACKER_BYTES);
  return out;
}

/** Restores a state from {@link encodeState} output; foreign or truncated bytes get a {@link StateDecodeError}. */
export function decodeState(bytes: Uint8Array, options: SeriesModelOptions = defaultSeriesModelOptions): SeriesState {
  if (bytes.length < PREFIX + SERIES_MODEL_BYTES + ALERT_TRACKER_BYTES) {
    throw new StateDecodeError(`series state is ${bytes.length} bytes; at least ${PREFIX + SERIES_MODEL_BYTES + ALERT_TRACKER_BYTES} expected`);
  }
  if (bytes[0] !== MAGIC) throw new StateDecodeError('bytes are not an ipscope series state (bad magic byte)');
  if (bytes[1] !== VERSION) throw new StateDecodeError(`series state version ${String(bytes[1])} is not supported (expected ${VERSION})`);
  const histogram = ((bytes[2] as number) & FLAG_HISTOGRAM) !== 0;
  // One copy of the model part; the model then works in it directly.
  const model = SeriesModel.decode(bytes.slice(PREFIX, PREFIX + SERIES_MODEL_BYTES), options, true);
  const tracker = AlertTracker.readFrom(bytes, PREFIX + SERIES_MODEL_BYTES);
  let distribution: DistributionModel | undefined;
  const rest = PREFIX + SERIES_MODEL_BYTES + ALERT_TRACKER_BYTES;
  if (histogram) {
    const read = DistributionModel.readFrom(bytes, rest);
    if (read.end !== bytes.length) throw new StateDecodeError(`series state has ${bytes.length - read.end} unexpected trailing bytes`);
    distribution = read.model;
  } else if (bytes.length !== rest) {
    throw new StateDecodeError(`value series state must be ${rest} bytes, got ${bytes.length}`);
  }
  return new SeriesState(model, distribution, tracker, options);
}

/**
 * True when `bytes` are an ipscope series state written by an older (or newer) model
 * version than this code's: the detector then starts that series afresh (a cold start)
 * instead of failing, so upgrading the model needs no migration. Foreign bytes (no
 * ipscope magic) are not "outdated": decoding them still fails loudly.
 */
export function isOutdatedState(bytes: Uint8Array): boolean {
  if (bytes.length < PREFIX + 1 || bytes[0] !== MAGIC) return false;
  if (bytes[1] !== VERSION) return true;
  return bytes[PREFIX] !== SERIES_MODEL_VERSION;
}
