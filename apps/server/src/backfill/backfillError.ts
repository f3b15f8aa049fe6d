/**
 * What went wrong, machine-readable:
 *
 * - `usage`: a bad command line (the message names the option); exit code 2.
 * - `input`: an input path is missing, unreadable or empty.
 * - `changed_input`: a file shrank since the checkpoint, so the committed line
 *   count no longer describes it.
 * - `checkpoint`: the job's checkpoint record cannot be read.
 * - `kafka`: the broker refused or could not be reached.
 * - `fenced`: another run of the same job took over (same transactional id).
 * - `store`: `--rebuild` could not reach Redis, or deleting there failed.
 */
export type BackfillErrorCode = 'usage' | 'input' | 'changed_input' | 'checkpoint' | 'kafka' | 'fenced' | 'store';

/**
 * The one error type of `ipscope backfill`. `retriable` says whether running
 * the same command again may succeed as it is (a broker that was down), as
 * opposed to needing a change from the operator (a bad option).
 */
export class BackfillError extends Error {
  constructor(
    readonly code: BackfillErrorCode,
    message: string,
    readonly retriable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackfillError';
  }
}
