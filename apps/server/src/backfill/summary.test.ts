import { describe, expect, it } from 'vitest';
import { emptyStats } from './backfillStats';
import { emptyCheckpoint } from './checkpoint';
import type { BackfillResult } from './runBackfill';
import { formatSummary, summaryObject } from './summary';

const targets = { topic: 'ipscope.backfill', dlqTopic: 'ipscope.backfill.dlq', fromTopic: undefined };

function result(rebuild: BackfillResult['rebuild']): BackfillResult {
  const stats = { ...emptyStats(), filesTotal: 1, filesCompleted: 1, linesRead: 10, events: 6, skipped: { outside_window: 4 } };
  return { job: 'j', status: 'completed', stats, seconds: 2, position: 'every file is done', checkpoint: emptyCheckpoint('j'), ...(rebuild ? { rebuild } : {}) };
}

describe('summary of a rebuild', () => {
  it('says what was deleted over which window, and counts events outside it as skipped', () => {
    const text = formatSummary(result({ metrics: ['conn.bytes.orig'], window: { since: null, before: 1_764_424_800 }, deletedNow: true, removed: 1234, entities: 56 }), targets);
    expect(text).toContain('rebuild       conn.bytes.orig over everything before 2025-11-29T14:00:00Z: deleted 1,234 stored items (56 series chunks)');
    expect(text).toContain('skipped       4 (outside_window 4)');
    const again = formatSummary(result({ metrics: ['a', 'b'], window: { since: 1_764_417_600, before: 1_764_424_800 }, deletedNow: false, removed: 0, entities: 0 }), targets);
    expect(again).toContain('rebuild       a, b over [2025-11-29T12:00:00Z, 2025-11-29T14:00:00Z): deleted by an earlier run');
  });

  it('puts the rebuild in the JSON summary, null for a plain backfill', () => {
    expect(summaryObject(result(undefined), targets)['rebuild']).toBeNull();
    expect(summaryObject(result({ metrics: ['m'], window: { since: null, before: 1800 }, deletedNow: true, removed: 1, entities: 1 }), targets)['rebuild']).toMatchObject({ metrics: ['m'], removed: 1 });
    expect(formatSummary(result(undefined), targets)).not.toContain('rebuild');
  });
});
