import { createHash } from 'node:crypto';

/** What identifies a backfill job when no `--job` is given. */
export interface JobIdentity {
  /** Absolute input paths, in the order given. */
  inputs: readonly string[];
  fromTopic: string | undefined;
  topic: string;
  format: string;
  /** Sorted metric names, or undefined for all metrics. */
  metrics: readonly string[] | undefined;
  /** `--rebuild` and its window as given (a default cut is not part of the job: it is fixed in the checkpoint). */
  rebuild?: { before: number | undefined; since: number | undefined };
}

/**
 * The default job id: `bf-` and 16 hex digits of a SHA-256 over what the job
 * reads and writes. Re-running the same command (from any working directory)
 * finds the same checkpoint; changing the inputs, target, format or metric
 * selection starts a different job.
 */
export function defaultJobId(identity: JobIdentity): string {
  const canonical = JSON.stringify({
    inputs: identity.inputs,
    fromTopic: identity.fromTopic ?? null,
    topic: identity.topic,
    format: identity.format,
    metrics: identity.metrics ?? null,
    ...(identity.rebuild === undefined ? {} : { rebuild: { before: identity.rebuild.before ?? null, since: identity.rebuild.since ?? null } }),
  });
  return `bf-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
