import type { Message } from 'kafkajs';
import type { DeadLetterReason } from './backfillStats';
import { BACKFILL_HEADERS } from './backfillHeaders';

/** Largest dead-letter value kept whole; longer raw input is cut (header `ipscope-truncated`). */
export const DEAD_LETTER_MAX_VALUE_BYTES = 512 * 1024;

/** What is known about one line that could not be used. */
export interface DeadLetter {
  /** The raw bytes of the line (possibly only its start, see `length`). */
  raw: Buffer;
  /** Length of the whole line in bytes. */
  length: number;
  reason: DeadLetterReason;
  /** What is wrong, for a human. */
  message: string;
  /** `<file>:<line>` or `<topic>:<partition>:<offset>`. */
  source: string;
  /** Format the line was read as, when known. */
  format: string | undefined;
  /** Field at fault, when one is. */
  field: string | undefined;
  job: string;
}

/**
 * The dead-letter record of a bad line: the value is the raw line so it can
 * be inspected and replayed; headers say why (`ipscope-reason`,
 * `ipscope-message`), where from (`ipscope-source`) and, when the value had
 * to be cut to fit a Kafka message, the original length (`ipscope-truncated`).
 */
export function deadLetterMessage(letter: DeadLetter): { message: Message; bytes: number } {
  const value = letter.raw.length > DEAD_LETTER_MAX_VALUE_BYTES ? letter.raw.subarray(0, DEAD_LETTER_MAX_VALUE_BYTES) : letter.raw;
  const headers: Record<string, string> = {
    [BACKFILL_HEADERS.reason]: letter.reason,
    [BACKFILL_HEADERS.message]: letter.message.length > 1024 ? `${letter.message.slice(0, 1021)}...` : letter.message,
    [BACKFILL_HEADERS.source]: letter.source,
    [BACKFILL_HEADERS.job]: letter.job,
  };
  if (letter.format !== undefined) headers[BACKFILL_HEADERS.format] = letter.format;
  if (letter.field !== undefined) headers[BACKFILL_HEADERS.field] = letter.field;
  if (value.length < letter.length) headers[BACKFILL_HEADERS.truncated] = String(letter.length);
  let bytes = value.length;
  for (const [k, v] of Object.entries(headers)) bytes += k.length + Buffer.byteLength(v);
  return { message: { key: letter.source, value, headers }, bytes };
}
