import { describe, expect, it } from 'vitest';
import { defaultJobId, type JobIdentity } from './jobId';

const identity: JobIdentity = { inputs: ['/data/zeek'], fromTopic: undefined, topic: 'ipscope.backfill', format: 'auto', metrics: undefined };

describe('defaultJobId', () => {
  it('is stable for the same job', () => {
    expect(defaultJobId(identity)).toBe(defaultJobId({ ...identity, inputs: ['/data/zeek'] }));
    expect(defaultJobId(identity)).toMatch(/^bf-[0-9a-f]{16}$/);
  });

  it.each([
    ['inputs', { inputs: ['/data/zeek2'] }],
    ['topic', { topic: 'other' }],
    ['format', { format: 'zeek' }],
    ['metrics', { metrics: ['conn_responded'] }],
    ['source topic', { inputs: [], fromTopic: 'zeek.conn' }],
  ])('changes with the %s', (_what, change) => {
    expect(defaultJobId({ ...identity, ...change })).not.toBe(defaultJobId(identity));
  });
});
