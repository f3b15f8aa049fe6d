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

export const e2eRun = (): number => Number(process.env.IPSCOPE_E2E_RUN);
export const e2eTopic = (runId: number): string => `e2e.conn.${runId}`;
