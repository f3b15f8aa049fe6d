/*
 * `ipscope backfill` and what other parts of the server use from it: the
 * ingest worker decodes `netevent` messages with decodeNetEventMessage and
 * reads the headers named in BACKFILL_HEADERS.
 */
export { backfillCommand } from './command';
export type { CommandIo } from './command';
export { runBackfill } from './runBackfill';
export type { BackfillHooks, BackfillResult } from './runBackfill';
export { parseBackfillArgs, BACKFILL_USAGE } from './options';
export type { BackfillArgs, BackfillFormat, BackfillOptions } from './options';
export { BackfillError } from './backfillError';
export type { BackfillErrorCode } from './backfillError';
export type { BackfillStats, BackfillSkipReason, DeadLetterReason } from './backfillStats';
export {
  decodeNetEventMessage,
  encodeAnnotationMessage,
  encodeNetEventMessage,
  NET_EVENT_FORMAT,
  NET_EVENT_MESSAGE_VERSION,
} from './netEventMessage';
export type { NetEventMessageError, NetEventMessageResult } from './netEventMessage';
export { BACKFILL_HEADERS } from './backfillHeaders';
export { readWholeTopic } from './readTopic';
export type { TopicRecord } from './readTopic';
