import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, emptyCheckpoint, encodeCheckpoint, type BackfillCheckpoint } from './checkpoint';

const checkpoint: BackfillCheckpoint = {
  version: 1,
  job: 'job-1',
  files: { '/data/conn.log': { size: 10, mtimeMs: 1700000000000.5, line: 3, done: false } },
  partitions: { '0': { next: '5', end: '9' } },
  updatedAt: '2024-01-01T00:00:00.000Z',
};

describe('checkpoint', () => {
  it('round-trips', () => {
    expect(decodeCheckpoint('job-1', encodeCheckpoint(checkpoint))).toEqual(checkpoint);
    expect(decodeCheckpoint('j', Buffer.from(encodeCheckpoint(emptyCheckpoint('j'))))).toEqual(emptyCheckpoint('j'));
  });

  it('round-trips a rebuild window and its delete state', () => {
    const rebuild = { ...checkpoint, rebuild: { metrics: ['conn.bytes.orig'], since: null, before: 1_800_000_000, deleted: true } };
    expect(decodeCheckpoint('job-1', encodeCheckpoint(rebuild))).toEqual(rebuild);
  });

  it.each([
    ['not json', /is not JSON/],
    ['[]', /not a JSON object/],
    [JSON.stringify({ ...checkpoint, version: 2 }), /version is 2/],
    [JSON.stringify({ ...checkpoint, job: 'other' }), /names job "other"/],
    [JSON.stringify({ ...checkpoint, files: { f: { size: -1, mtimeMs: 0, line: 0, done: false } } }), /entry of f/],
    [JSON.stringify({ ...checkpoint, files: { f: { size: 1, mtimeMs: 0, line: 0 } } }), /entry of f/],
    [JSON.stringify({ ...checkpoint, partitions: { x: { next: '1', end: '2' } } }), /partition x/],
    [JSON.stringify({ ...checkpoint, partitions: { '0': { next: 1, end: '2' } } }), /partition 0/],
    [JSON.stringify({ ...checkpoint, updatedAt: 5 }), /updatedAt/],
    [JSON.stringify({ ...checkpoint, rebuild: { metrics: ['m'], since: null, before: 5 } }), /rebuild is not/],
    [JSON.stringify({ ...checkpoint, rebuild: { metrics: ['m'], since: -1, before: 5, deleted: false } }), /rebuild is not/],
  ])('refuses %s, saying how to go on', (value, message) => {
    expect(() => decodeCheckpoint('job-1', value)).toThrow(message);
    expect(() => decodeCheckpoint('job-1', value)).toThrow(/--restart/);
  });
});
