import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff';

describe('backoffMs', () => {
  it('doubles up to the cap', () => {
    expect(backoffMs(0, 5000, () => 1)).toBe(100);
    expect(backoffMs(3, 5000, () => 1)).toBe(800);
    expect(backoffMs(30, 5000, () => 1)).toBe(5000);
  });

  it('never waits less than half the ceiling', () => {
    expect(backoffMs(2, 5000, () => 0)).toBe(200);
  });
});
