import { totalOf } from './backfillStats';
import { describeWindow } from './rebuildPhase';
import type { BackfillResult } from './runBackfill';

/** Where the run wrote, for the summary. */
export interface SummaryTargets {
  topic: string;
  dlqTopic: string;
  fromTopic: string | undefined;
}

/** The end-of-run summary as text, one fact per line. Pure. */
export function formatSummary(result: BackfillResult, targets: SummaryTargets): string {
  const s = result.stats;
  const seconds = result.seconds;
  const lines: string[] = [];
  const status = result.status === 'completed' ? 'completed' : 'interrupted';
  lines.push(`backfill job ${result.job}: ${status} in ${seconds.toFixed(1)}s (${s.commits} chunk${s.commits === 1 ? '' : 's'} committed)`);
  const r = result.rebuild;
  if (r !== undefined) {
    const deleted = r.deletedNow ? `deleted ${n(r.removed)} stored items (${n(r.entities)} series chunks)` : 'deleted by an earlier run';
    lines.push(`  rebuild       ${r.metrics.join(', ')} over ${describeWindow(r.window)}: ${deleted}; only events in the window are sent`);
  }
  if (targets.fromTopic !== undefined) {
    lines.push(`  copied        ${n(s.messagesCopied)} messages from ${targets.fromTopic} to ${targets.topic} (${rate(s.messagesCopied, seconds)} messages/s)`);
  } else {
    const files = [`${n(s.filesTotal)} files`, `${n(s.filesCompleted)} finished now`];
    if (s.filesAlreadyDone > 0) files.push(`${n(s.filesAlreadyDone)} done by an earlier run`);
    lines.push(`  files         ${files.join(', ')}`);
    if (s.filesUnknownFormat.length > 0) lines.push(`  unknown format (not replayed): ${s.filesUnknownFormat.join(', ')}`);
    if (s.filesUnreadable.length > 0) lines.push(`  not readable to the end: ${s.filesUnreadable.join(', ')}`);
    const resumed = s.linesResumed > 0 ? `, ${n(s.linesResumed)} committed earlier and passed over` : '';
    lines.push(`  lines read    ${n(s.linesRead)} (${rate(s.linesRead + s.linesResumed, seconds)} lines/s)${resumed}`);
    lines.push(`  events        ${n(s.events)} sent to ${targets.topic}`);
    lines.push(`  annotations   ${n(s.annotations)}`);
    lines.push(`  skipped       ${n(totalOf(s.skipped))}${breakdown(s.skipped)}`);
    lines.push(`  dead-lettered ${n(totalOf(s.deadLettered))}${breakdown(s.deadLettered)} to ${targets.dlqTopic}`);
  }
  lines.push(`  ${result.status === 'completed' ? 'state' : 'stopped'}         ${result.position}`);
  return `${lines.join('\n')}\n`;
}

/** The summary as one JSON-ready object. */
export function summaryObject(result: BackfillResult, targets: SummaryTargets): Record<string, unknown> {
  const s = result.stats;
  const passed = targets.fromTopic !== undefined ? s.messagesCopied : s.linesRead + s.linesResumed;
  return {
    job: result.job,
    status: result.status,
    seconds: Number(result.seconds.toFixed(3)),
    rate: Math.round(passed / Math.max(result.seconds, 1e-3)),
    topic: targets.topic,
    dlqTopic: targets.dlqTopic,
    fromTopic: targets.fromTopic ?? null,
    position: result.position,
    ...s,
    rebuild: result.rebuild ?? null,
  };
}

function breakdown(table: Partial<Record<string, number>>): string {
  const parts = Object.entries(table)
    .filter(([, count]) => (count ?? 0) > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, count]) => `${reason} ${n(count ?? 0)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function rate(count: number, seconds: number): string {
  return n(Math.round(count / Math.max(seconds, 1e-3)));
}
