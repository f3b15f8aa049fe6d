import { describe, expect, it } from 'vitest';
import { cidrParam, ipParam, limitParam, metricList, parseTime, timeParam } from './common';

const firstMessage = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe('parseTime', () => {
  it.each([
    ['1714564800', 1714564800],
    ['1714564800.9', 1714564800],
    [1714564800, 1714564800],
    ['0', 0],
    ['2024-05-01', 1714521600],
    ['2024-05-01T12:00:00Z', 1714564800],
    ['2024-05-01T12:00Z', 1714564800],
    ['2024-05-01T12:00:00.750Z', 1714564800],
    ['2024-05-01T12:00:00', 1714564800],
    ['2024-05-01 12:00:00', 1714564800],
    ['2024-05-01T14:00:00+02:00', 1714564800],
    ['2024-05-01T14:00:00+0200', 1714564800],
    ['2024-05-01T07:00:00-05:00', 1714564800],
    ['2024-02-29T00:00:00Z', 1709164800],
  ])('reads %j as %i', (input, seconds) => {
    expect(parseTime(input)).toBe(seconds);
  });

  it.each([
    ['soon', 'unix seconds or an ISO-8601'],
    ['', 'unix seconds or an ISO-8601'],
    ['-5', 'not negative'],
    ['1714564800000', 'looks like milliseconds'],
    ['2023-02-29T00:00:00Z', 'not a real date-time'],
    ['2024-13-01', 'not a real date-time'],
    ['2024-05-01T24:00:00Z', 'not a real date-time'],
    ['2024-05-01T12:00:61Z', 'not a real date-time'],
    ['May 1 2024', 'unix seconds or an ISO-8601'],
    ['2200-01-01T00:00:00Z', 'between 1970 and 2100'],
  ])('rejects %j: %s', (input, fragment) => {
    const result = parseTime(input);
    expect(typeof result).toBe('string');
    expect(result).toContain(fragment);
  });

  it('reads an offset-less date-time as UTC whatever the process time zone', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseTime('2024-05-01T12:00:00')).toBe(1714564800);
    } finally {
      process.env.TZ = before;
    }
  });

  it('is what timeParam applies', () => {
    expect(timeParam.parse('2024-05-01T12:00:00Z')).toBe(1714564800);
    expect(firstMessage(timeParam.safeParse('later'))).toContain('ISO-8601');
  });
});

describe('limitParam', () => {
  const limit = limitParam(100, 20);
  it.each([
    [undefined, 20],
    ['1', 1],
    [' 100 ', 100],
    [7, 7],
  ])('reads %j as %i', (input, n) => {
    expect(limit.parse(input)).toBe(n);
  });

  it.each([
    ['0', 'at least 1'],
    ['101', 'at most 100'],
    ['abc', 'whole number'],
    ['1.5', 'whole number'],
    ['1e3', 'whole number'],
    ['', 'whole number'],
    [['1', '2'], 'whole number'],
    [2.5, 'whole number'],
  ])('rejects %j: %s', (input, fragment) => {
    expect(firstMessage(limit.safeParse(input))).toContain(fragment);
  });
});

describe('ipParam and cidrParam', () => {
  it('names the bad address in the message', () => {
    expect(firstMessage(ipParam.safeParse('10.0.0.300'))).toBe('"10.0.0.300" is not an IPv4 or IPv6 address');
  });

  it('cuts very long input in messages', () => {
    expect(firstMessage(ipParam.safeParse('x'.repeat(500)))!.length).toBeLessThan(120);
  });

  it.each([
    ['10.0.0.0/8', true],
    ['2001:db8::/32', true],
    ['10.0.0.1', false],
    ['10.0.0.0/40', false],
  ])('cidr %s valid: %s', (text, ok) => {
    expect(cidrParam.safeParse(text).success).toBe(ok);
  });
});

describe('metricList', () => {
  it('reads a comma list and a repeated parameter', () => {
    expect(metricList.parse('conn.count, conn.bytes')).toEqual(['conn.count', 'conn.bytes']);
    expect(metricList.parse(['conn.count', 'conn.bytes,conn.packets'])).toEqual(['conn.count', 'conn.bytes', 'conn.packets']);
  });

  it.each([
    ['', 'at least one metric'],
    [',,', 'at least one metric'],
    ['Conn.Count', 'metric name'],
    ['conn..count', 'metric name'],
    [Array.from({ length: 33 }, (_, i) => `m${i}`).join(','), 'at most 32'],
  ])('rejects %j: %s', (input, fragment) => {
    expect(firstMessage(metricList.safeParse(input))).toContain(fragment);
  });
});
