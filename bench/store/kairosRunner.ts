import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { MetricOptions, Sample } from '@ipscope/timeseries';

/** kairos has no hll: its closest type, set, stores the same members. */
export function kairosType(type: MetricOptions['type']): string {
  return type === 'hll' ? 'set' : type;
}

/**
 * Writes `samples` into the Redis on `port` with kairos's bulk_insert (in `batch`-sample calls)
 * and returns its own timing. Series names are `metric:ip`, kairos's usual way to key a series.
 */
export function runKairos(python: string, workDir: string, port: number, samples: readonly Sample[], metrics: Record<string, MetricOptions>, batch: number): { samples: number; seconds: number } {
  const file = path.join(workDir, `kairos-samples-${process.pid}.json`);
  const rows = samples.map((s) => [kairosType((metrics[s.metric] as MetricOptions).type), `${s.metric}:${s.entity}`, s.ts, s.value]);
  fs.writeFileSync(file, JSON.stringify(rows));
  try {
    const r = spawnSync(python, [path.join(import.meta.dirname, 'kairos_bench.py'), String(port), file, String(batch)], {
      encoding: 'utf8',
      timeout: 3_600_000,
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`kairos run failed:\n${r.stderr || r.stdout}`);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as { samples: number; seconds: number };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
