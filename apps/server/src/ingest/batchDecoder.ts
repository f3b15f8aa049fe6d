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
export type SampleMapper = (event: NetEvent, only: string | undefined) => Sample[];

export const METRICS_HEADER = 'ipscope-metrics';
/** A message copied from another topic by `ipscope backfill --from-topic` names its own format. */
export const FORMAT_HEADER = 'ipscope-format';

export function headerText(message: RawMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
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
    const only = headerText(message, METRICS_HEADER);
    const token = Number(message.offset);
    for (const sample of toSamples(result.event, only)) {
      sample.token = token;
      out.samples.push(sample);
      out.origins.push(i);
    }
    out.events++;
  }
  return out;
}
