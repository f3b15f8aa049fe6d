import { Redis } from 'ioredis';
import { AlertStore, alertId } from '@ipscope/detect';
import type { ZeekConnRecord } from '@ipscope/testkit';
import { e2eAlertSeed, expectedResponders } from './dataset';

/**
 * Data set-up, not a mock: writes one open alert for the busiest responder through the
 * real alert store into the run's Redis prefix, where the server's alert endpoints read it.
 */
export async function seedAlert(redisUrl: string, prefix: string, runId: number, records: ZeekConnRecord[]): Promise<string> {
  const [busiest] = expectedResponders(records);
  if (!busiest) throw new Error('the e2e dataset is empty: no alert to seed');
  const seed = e2eAlertSeed(runId, busiest[0]);
  const id = alertId(seed.metric, seed.ip, seed.start);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    await new AlertStore(redis, { prefix: `${prefix}:alerts` }).apply([
      {
        type: 'open',
        alert: {
          id,
          metric: seed.metric,
          entity: seed.ip,
          severity: 'high',
          state: 'active',
          start: seed.start,
          end: null,
          lastTs: seed.lastTs,
          score: 0.999,
          peakScore: 0.999,
          view: 'spike',
          direction: 'up',
          expected: 38,
          observed: 412,
          lower: 20,
          upper: 60,
          explanation: seed.explanation,
          acknowledged: null,
          resolved: null,
        },
      },
    ]);
  } finally {
    await redis.quit();
  }
  return id;
}
