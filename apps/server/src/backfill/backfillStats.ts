import type { DecodeReason, SkipReason } from '@ipscope/events';

/** Why a line went to the dead-letter topic: a decode error, or the file could not be read further. */
export type DeadLetterReason = DecodeReason | 'read_error';

/**
 * Why a line carried nothing to send: the decoders' reasons, a file whose format was not
 * recognised, or (`--rebuild`) an event outside the rebuild window.
 */
export type BackfillSkipReason = SkipReason | 'unknown_format' | 'outside_window';

/**
 * Counters of one run. Every line read this run ends up in exactly one of
 * `events`, `annotations`, `skipped` or `deadLettered`, so their sum is
 * `linesRead`. Lines already committed by an earlier run are re-read (to
 * reach the resume point) but only counted in `linesResumed`.
 */
export interface BackfillStats {
  linesRead: number;
  linesResumed: number;
  events: number;
  annotations: number;
  skipped: Partial<Record<BackfillSkipReason, number>>;
  deadLettered: Partial<Record<DeadLetterReason, number>>;
  /** Messages copied from a source topic (`--from-topic`). */
  messagesCopied: number;
  filesTotal: number;
  /** Files finished in this run. */
  filesCompleted: number;
  /** Files an earlier run had finished. */
  filesAlreadyDone: number;
  /** Files whose format could not be recognised (nothing sent from them). */
  filesUnknownFormat: string[];
  /** Files that could not be read to the end (a `read_error` dead letter says where). */
  filesUnreadable: string[];
  /** Transactions committed. */
  commits: number;
}

/** Counters all at zero. */
export function emptyStats(): BackfillStats {
  return {
    linesRead: 0,
    linesResumed: 0,
    events: 0,
    annotations: 0,
    skipped: {},
    deadLettered: {},
    messagesCopied: 0,
    filesTotal: 0,
    filesCompleted: 0,
    filesAlreadyDone: 0,
    filesUnknownFormat: [],
    filesUnreadable: [],
    commits: 0,
  };
}

/** Adds one to a counter of a by-reason table. */
export function countReason<K extends string>(table: Partial<Record<K, number>>, reason: K, by = 1): void {
  table[reason] = (table[reason] ?? 0) + by;
}

/** Sum of a by-reason table. */
export function totalOf(table: Partial<Record<string, number>>): number {
  let sum = 0;
  for (const n of Object.values(table)) sum += n ?? 0;
  return sum;
}
