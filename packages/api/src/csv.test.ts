import { describe, expect, it } from 'vitest';
import { isoSeconds, seriesToCsv } from './csv';
import { CsvParseError, parseCsv } from './csvParse';
import type { MetricSeries } from './series';

const count: MetricSeries = { kind: 'number', metric: 'conn.count', type: 'count', unit: 'connections', points: [[1714564800, 3], [1714564860, 0]] };
const gauge: MetricSeries = { kind: 'number', metric: 'rtt.last', type: 'gauge', unit: 'ms', points: [[1714564800, 1.5], [1714564860, null]] };
const states: MetricSeries = {
  kind: 'histogram',
  metric: 'conn.state',
  type: 'histogram',
  unit: 'connections',
  points: [
    [1714564800, { S0: 1, SF: 2 }],
    [1714564860, { SF: 5, 'a,"b"': 1 }],
  ],
};

describe('seriesToCsv', () => {
  it('writes a header, ISO-8601 UTC times and one column per metric and histogram value', () => {
    expect(seriesToCsv([count, gauge, states])).toBe(
      [
        'timestamp,conn.count,rtt.last,conn.state[SF],conn.state[S0],"conn.state[a,""b""]"',
        '2024-05-01T12:00:00Z,3,1.5,2,1,0',
        '2024-05-01T12:01:00Z,0,,5,0,1',
        '',
      ].join('\r\n'),
    );
  });

  it('reads back to the same numbers', () => {
    const rows = parseCsv(seriesToCsv([count, states]));
    expect(rows[0]).toEqual(['timestamp', 'conn.count', 'conn.state[SF]', 'conn.state[S0]', 'conn.state[a,"b"]']);
    expect(rows.slice(1).map((r) => [Date.parse(r[0]!) / 1000, ...r.slice(1).map(Number)])).toEqual([
      [1714564800, 3, 2, 1, 0],
      [1714564860, 0, 5, 0, 1],
    ]);
  });

  it('writes only the header for no points', () => {
    expect(seriesToCsv([{ ...count, points: [] }])).toBe('timestamp,conn.count\r\n');
  });
});

describe('isoSeconds', () => {
  it.each([
    [0, '1970-01-01T00:00:00Z'],
    [1714564800, '2024-05-01T12:00:00Z'],
  ])('%i is %s', (ts, iso) => {
    expect(isoSeconds(ts)).toBe(iso);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF and LF', () => {
    expect(parseCsv('a,"b,c"\r\n"d""e",\n"multi\nline",x')).toEqual([
      ['a', 'b,c'],
      ['d"e', ''],
      ['multi\nline', 'x'],
    ]);
  });

  it.each([
    ['"open', 'not closed'],
    ['a"b', 'quote inside'],
    ['"a"b', 'after a closing quote'],
  ])('rejects %j', (text, fragment) => {
    expect(() => parseCsv(text)).toThrow(CsvParseError);
    expect(() => parseCsv(text)).toThrow(fragment);
  });
});
