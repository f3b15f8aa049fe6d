import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    [60, 60],
    ['60', 60],
    ['45s', 45],
    ['1m', 60],
    ['30m', 1800],
    ['1h', 3600],
    ['2d', 172_800],
    ['1w', 604_800],
  ])('reads %j as %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toEqual({ ok: true, seconds });
  });

  it.each([[0], [-5], [1.5], ['0m'], ['1y'], ['m'], ['1.5h'], [' 1m'], [null], [{}]])('refuses %j with a reason', (input) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
  });
});
