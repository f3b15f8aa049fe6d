import type { Decoder, NetEvent } from '@ipscope/events';
import type { Sample } from '@ipscope/timeseries';

/** The parts of a Kafka message the decoder reads. */
export interface RawMessage {
  offset: string;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** A message that could not be used, with why: it goes to the dead-letter topic. */
export interface DeadLetter {
  offset: string;
  value: Buffer | null;
  reason: string;
  message: string;
}

export interface DecodedBatch {
  samples: Sample[];
  /** Index into the batch's messages of each sample's message, parallel to `samples`. */
  origins: number[];
  deadLetters: DeadLetter[];
  events: number;
  annotations: number;
  skipped: Map<string, number>;
}

/**
 * Turns one event into samples. `only` is the message's `ipscope-metrics` header (comma-separated
 * metric names) when a backfill rebuilds chosen metrics; other metrics are then left untouched.
 */
export interface SampleMapper {
  (event: NetEvent, only: string | undefined): Sample[];
  /**
   * The same samples handed to `sink` one by one, without an object each (the aggregate write
   * path); returns how many. Optional: without it the worker writes `Sample` arrays.
   */
  emit?: (event: NetEvent, only: string | undefined, sink: SampleSink) => number;
  /**
   * The same samples folded into `into` by position (its metric slots, the event's two IPs), not
   * by name: what the aggregate write path uses when given. Optional; returns how many.
   */
  fold?: EventFolder;
}

/** Folds one event's samples into a {@link SampleFold}; returns how many. */
export type EventFolder = (event: NetEvent, only: string | undefined, into: SampleFold) => number;

/**
 * Receives one sample as arguments (see {@link SampleMapper.emit}); `weight` is given for the
 * samples of a weighted histogram (what the value's count grows by, e.g. bytes per peer).
 */
export type SampleSink = (metric: string, entity: string, ts: number, value: number | string, weight?: number) => void;

/**
 * Where {@link decodeBatchInto} folds samples: a store batch aggregate (`BatchAggregate`). `add`
 * takes one sample by name; `slotOf`, `event` and `addFor` take an event's samples by metric
 * position and IP role, with the same checks and results as `add`.
 */
export interface SampleFold {
  add(metric: string, entity: string, ts: number, value: number | string, weight?: number): void;
  /** A metric's position for `addFor`; -1 when it is not configured. */
  slotOf(metric: string): number;
  /** Starts an event: its time and its originator and responder IPs. */
  event(ts: number, orig: string, resp: string): void;
  /** `add` of the current event's sample for the metric at `slot` and the IP of `role` (0 orig, 1 resp). */
  addFor(slot: number, role: 0 | 1, value: number | string, weight?: number): void;
}

/** An {@link EventFolder} from a mapper's `emit` (a mapper without `fold`): samples added by name. */
export function folderOf(emit: NonNullable<SampleMapper['emit']>): EventFolder {
  return (event, only, into) => emit(event, only, (metric, entity, ts, value, weight) => into.add(metric, entity, ts, value, weight));
}

/** A partition batch decoded straight into an aggregate (no samples kept). */
export type FoldedBatch = Omit<DecodedBatch, 'samples' | 'origins'>;

export const METRICS_HEADER = 'ipscope-metrics';
/** A message copied from another topic by `ipscope backfill --from-topic` names its own format. */
export const FORMAT_HEADER = 'ipscope-format';

/** True when the message carries at least one header (most carry none). */
export function hasHeaders(message: RawMessage): boolean {
  const headers = message.headers;
  if (headers === undefined) return false;
  for (const name in headers) if (Object.hasOwn(headers, name)) return true;
  return false;
}

export function headerText(message: RawMessage, name: string): string | undefined {
  if (!hasHeaders(message)) return undefined;
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Sorts every message of a batch into a dead letter, a skipped message, an annotation or an event,
 * counting them in `out`; each event goes to `onEvent`, which returns false to stop the walk.
 * Returns false when `onEvent` stopped it. Never throws for bad input.
 */
function walkBatch(
  messages: readonly RawMessage[],
  decoderOf: (message: RawMessage) => Decoder,
  accept: (event: NetEvent) => string | undefined,
  out: FoldedBatch,
  onEvent: (event: NetEvent, message: RawMessage, index: number) => boolean,
): boolean {
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.value === null) {
      out.deadLetters.push({ offset: message.offset, value: null, reason: 'empty', message: 'message has no value (tombstone)' });
      continue;
    }
    const result = decoderOf(message)(message.value);
    if (!result.ok) {
      out.deadLetters.push({ offset: message.offset, value: message.value, reason: result.error.reason, message: result.error.message });
      continue;
    }
    if (result.kind === 'skip') {
      out.skipped.set(result.skip.reason, (out.skipped.get(result.skip.reason) ?? 0) + 1);
      continue;
    }
    if (result.kind === 'annotation') {
      out.annotations++;
      continue;
    }
    const rejected = accept(result.event);
    if (rejected !== undefined) {
      out.deadLetters.push({ offset: message.offset, value: message.value, reason: 'bad_timestamp', message: rejected });
      continue;
    }
    if (!onEvent(result.event, message, i)) return false;
    out.events++;
  }
  return true;
}

/**
 * Decodes a partition batch. Each sample carries its message's offset as fence token, so
 * a replay skips exactly the messages the store already holds, whatever the batch boundaries.
 * Never throws for bad input: every message ends up as samples, a skip or a dead letter.
 */
export function decodeBatch(
  messages: readonly RawMessage[],
  decoderOf: (message: RawMessage) => Decoder,
  toSamples: SampleMapper,
  accept: (event: NetEvent) => string | undefined = () => undefined,
): DecodedBatch {
  const out: DecodedBatch = { samples: [], origins: [], deadLetters: [], events: 0, annotations: 0, skipped: new Map() };
  walkBatch(messages, decoderOf, accept, out, (event, message, i) => {
    const token = Number(message.offset);
    for (const sample of toSamples(event, headerText(message, METRICS_HEADER))) {
      sample.token = token;
      out.samples.push(sample);
      out.origins.push(i);
    }
    return true;
  });
  return out;
}

/**
 * Like {@link decodeBatch}, but folds every sample into `fold` as it is produced. Returns null
 * when `fold` refuses a sample (it throws): the aggregate then holds part of an event and must be
 * dropped; {@link decodeBatch} finds and dead-letters the message.
 */
export function decodeBatchInto(
  messages: readonly RawMessage[],
  decoderOf: (message: RawMessage) => Decoder,
  folder: EventFolder,
  fold: SampleFold,
  accept: (event: NetEvent) => string | undefined = () => undefined,
): FoldedBatch | null {
  const out: FoldedBatch = { deadLetters: [], events: 0, annotations: 0, skipped: new Map() };
  const completed = walkBatch(messages, decoderOf, accept, out, (event, message) => {
    try {
      folder(event, headerText(message, METRICS_HEADER), fold);
      return true;
    } catch {
      return false;
    }
  });
  return completed ? out : null;
}
