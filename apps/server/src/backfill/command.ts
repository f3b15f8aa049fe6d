import { BackfillError } from './backfillError';
import { BACKFILL_USAGE, parseBackfillArgs } from './options';
import { ProgressReporter, type ProgressStream } from './progress';
import { describeWindow } from './rebuildPhase';
import { runBackfill } from './runBackfill';
import { formatSummary, summaryObject } from './summary';

/** The streams a command talks to (the CLI passes the process's own). */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: ProgressStream;
  stderr: ProgressStream;
}

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `ipscope backfill`: parses the arguments, runs the job with a progress line
 * on stderr and prints the summary on stdout. Returns the exit code: 0 done
 * (dead-lettered lines included: they are counted, not fatal), 1 failed,
 * 2 bad usage, 130 after SIGINT and 143 after SIGTERM (the open chunk is
 * aborted; re-running the same command resumes). A second signal exits at
 * once; the broker then drops the open transaction.
 */
export async function backfillCommand(argv: string[], io: CommandIo, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseBackfillArgs(argv, env);
  } catch (caught) {
    if (caught instanceof BackfillError) {
      io.stderr.write(`ipscope backfill: ${caught.message}\n`);
      return 2;
    }
    throw caught;
  }
  if (parsed.help) {
    io.stdout.write(BACKFILL_USAGE);
    return 0;
  }
  const options = parsed.options;
  const controller = new AbortController();
  const progress = new ProgressReporter(io.stderr);
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (received !== undefined) {
      progress.clear();
      io.stderr.write(`ipscope backfill: ${signal} again, exiting now; the open chunk is dropped by the broker, re-run the same command to resume\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    received = signal;
    progress.clear();
    io.stderr.write(`ipscope backfill: ${signal}, stopping: the open chunk is aborted (press again to exit at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const result = await runBackfill(options, {
      signal: controller.signal,
      onProgress: (snapshot) => progress.update(snapshot),
      onStart: ({ job, resumed }) => {
        io.stderr.write(`ipscope backfill: job ${job}${resumed ? ', resuming from its checkpoint' : ''}${options.restart ? ' (restarted)' : ''}\n`);
      },
      onRebuild: (report) => {
        progress.clear();
        const what = report.deletedNow ? `deleted ${report.removed} stored items` : 'deleted by an earlier run';
        io.stderr.write(`ipscope backfill: rebuild of ${report.metrics.join(', ')} over ${describeWindow(report.window)}: ${what}; replaying the window's events\n`);
      },
    });
    progress.clear();
    const targets = { topic: options.topic, dlqTopic: options.dlqTopic, fromTopic: options.fromTopic };
    io.stdout.write(options.json ? `${JSON.stringify(summaryObject(result, targets))}\n` : formatSummary(result, targets));
    if (result.status === 'interrupted') {
      io.stderr.write(
        `ipscope backfill: interrupted; committed up to: ${result.position}. Re-run the same command to resume (job ${result.job}); nothing committed is sent again.\n`,
      );
      return SIGNAL_EXIT[received ?? 'SIGINT'];
    }
    return 0;
  } catch (caught) {
    progress.clear();
    const message = caught instanceof Error ? caught.message : String(caught);
    io.stderr.write(`ipscope backfill: ${message}\n`);
    if (caught instanceof BackfillError && caught.retriable) io.stderr.write('ipscope backfill: re-run the same command to retry; it resumes from the last committed chunk\n');
    return caught instanceof BackfillError && caught.code === 'usage' ? 2 : 1;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
