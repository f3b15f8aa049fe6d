import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config';
import { writePathFromEnv } from './writePath';

describe('writePathFromEnv', () => {
  it.each([
    [undefined, 'aggregate'],
    ['', 'aggregate'],
    ['aggregate', 'aggregate'],
    ['samples', 'samples'],
  ])('reads %j as %s', (value, expected) => {
    expect(writePathFromEnv({ IPSCOPE_INGEST_WRITE_PATH: value })).toBe(expected);
  });

  it('refuses anything else, naming the variable and the values that work', () => {
    const attempt = () => writePathFromEnv({ IPSCOPE_INGEST_WRITE_PATH: 'fast' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/IPSCOPE_INGEST_WRITE_PATH: must be "aggregate" or "samples", got "fast"/);
  });
});
