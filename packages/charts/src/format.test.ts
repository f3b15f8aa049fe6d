import { describe, expect, it } from 'vitest';
import { escapeHtml, formatCompact, formatExact, formatUtc, isByteUnit } from './format';

describe('formatCompact', () => {
  it.each([
    [0, '', '0'],
    [999, '', '999'],
    [1000, '', '1k'],
    [1234, '', '1.2k'],
    [123_456, '', '123k'],
    [2_500_000, '', '2.5M'],
    [0.125, '', '0.13'],
    [1500, 'bytes', '1.5 kB'],
    [3_000_000_000, 'bytes', '3 GB'],
    [12, 'bytes', '12 B'],
    [Number.NaN, '', '–'],
  ])('formats %s %s as %s', (value, unit, text) => {
    expect(formatCompact(value, unit)).toBe(text);
  });
});

describe('formatExact', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(formatExact(1234567.891)).toBe('1,234,567.89');
  });
});

describe('formatUtc', () => {
  it('prints minutes in UTC and drops zero seconds', () => {
    expect(formatUtc(Date.UTC(2024, 4, 1, 12, 34) / 1000)).toBe('2024-05-01 12:34 UTC');
  });
  it('keeps seconds when there are some', () => {
    expect(formatUtc(Date.UTC(2024, 4, 1, 12, 34, 5) / 1000)).toBe('2024-05-01 12:34:05 UTC');
  });
});

describe('isByteUnit', () => {
  it.each([['bytes', true], ['byte', true], ['Bytes/min', true], ['connections', false], ['bits', false]])('%s → %s', (unit, expected) => {
    expect(isByteUnit(unit)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('neutralises markup', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">&')).toBe('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;');
  });
});
