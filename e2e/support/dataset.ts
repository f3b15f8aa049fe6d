import { ZeekConnGenerator, type ZeekConnRecord } from '@ipscope/testkit';

/** The run's traffic: one hour of deterministic Zeek conn records ending at the run's minute. */
export function e2eDataset(runId: number): { records: ZeekConnRecord[]; from: number; to: number } {
  const to = Math.floor(runId / 60) * 60;
  const from = to - 3600;
  const records = [...new ZeekConnGenerator({ seed: 42 }).between(from, to, 8)];
  return { records, from, to };
}

/** Connections each responder IP answered, busiest first: what the page must show. */
export function expectedResponders(records: ZeekConnRecord[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r['id.resp_h'], (counts.get(r['id.resp_h']) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Connections `ip` answered with the bucket (minute) start in [from, to): what a CSV of that window must sum to. */
export function respondedBetween(records: ZeekConnRecord[], ip: string, from: number, to: number): number {
  let n = 0;
  for (const r of records) {
    const bucket = Math.floor(r.ts / 60) * 60;
    if (r['id.resp_h'] === ip && bucket >= from && bucket < to) n++;
  }
  return n;
}

export const e2eRun = (): number => Number(process.env.IPSCOPE_E2E_RUN);
export const e2eTopic = (runId: number): string => `e2e.conn.${runId}`;
export const e2ePrefix = (runId: number): string => `e2e${runId}`;
export const e2eGroup = (runId: number): string => `e2e-${runId}`;

/** The alert the journey acknowledges: on the busiest responder's connection count, inside the dataset's hour. */
export function e2eAlertSeed(runId: number, ip: string) {
  const { to } = e2eDataset(runId);
  const start = to - 20 * 60;
  return {
    metric: 'conn.count.resp',
    ip,
    start,
    lastTs: start + 5 * 60,
    explanation: `conn.count.resp of ${ip}: spike (spike view): observed 412 vs expected 38 (normal 20–60), a 1-in-10^6 deviation`,
  };
}
