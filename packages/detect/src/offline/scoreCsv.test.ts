import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvFormatError } from '../errors';
import { Detector } from '../detector';
import { MemoryModelStateStore } from '../modelStateStore';
import { MONDAY, SeededRandom } from '../testing/seededRandom';
import { CsvScorer, scoreCsvStream } from './scoreCsv';
import { parseTimestamp } from './timestamp';

function scoreAll(lines: string[]): string[] {
  const scorer = new CsvScorer();
  const out = lines.flatMap((line, i) => scorer.push(line, i + 1));
  return [...out, ...scorer.finish()];
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('CsvScorer', () => {
  it('writes one row per input row with the header, echoing timestamp and value', () => {
    const out = scoreAll(['timestamp,value', '2024-01-01 00:00:00,1', '2024-01-01 00:01:00,2.50', '2024-01-01 00:02:00,']);
    expect(out[0]).toBe('timestamp,value,anomaly_score');
    expect(out.slice(1)).toEqual(['2024-01-01 00:00:00,1,0.000000', '2024-01-01 00:01:00,2.50,0.000000', '2024-01-01 00:02:00,,0.000000']);
  });

  it('accepts a file without header and extra columns behind a header', () => {
    expect(scoreAll(['1,5', '2,6'])).toHaveLength(3);
    const out = scoreAll(['timestamps,value,is_anomaly', '1,5,0', '2,6,1']);
    expect(out.slice(1)).toEqual(['1,5,0.000000', '2,6,0.000000']);
  });

  it.each<[string, string[], RegExp]>([
    ['a bad value', ['0,1', '60,abc'], /line 2: value "abc" is not a finite number/],
    ['an infinite value', ['0,1', '60,Infinity'], /line 2: value "Infinity" is not a finite number/],
    ['a bad timestamp', ['0,1', 'yesterday,1'], /line 2: timestamp "yesterday" is not a date/],
    ['an impossible date', ['timestamp,value', '2024-01-01 00:00:00,1', '13/01/2024 00:05,1'], /line 3: timestamp "13\/01\/2024 00:05" is not a date/],
    ['a row without the value column', ['timestamp,value,label', '0,1,0', '60'], /line 3: expected at least 2 columns/],
    ['a single column', ['42'], /line 1: need at least two columns/],
    ['a change from dates to an index', ['2024-01-01 00:00:00,1', '7,1'], /line 2: timestamp kind changed/],
  ])('rejects %s with the line number', (_name, lines, message) => {
    expect(() => scoreAll(lines)).toThrow(CsvFormatError);
    expect(() => scoreAll(lines)).toThrow(message);
  });

  it.each<[string, string[], RegExp]>([
    ['an irregular step', ['timestamp,value', '0,1', '60,1', '120,1', '150,1'], /line 5: irregular step: 30 after line 4, but the step is 60/],
    ['time going backwards', ['0,1', '60,1', '30,1'], /line 3: timestamp is not after line 2's/],
    ['a duplicated row', ['0,1', '60,1', '60,1'], /line 3: timestamp is not after line 2's/],
  ])('in strict mode rejects %s with the line number', (_name, lines, message) => {
    const scorer = new CsvScorer({ strict: true });
    expect(() => [...lines.flatMap((line, i) => scorer.push(line, i + 1)), ...scorer.finish()]).toThrow(message);
  });

  it('scores irregular rows in order by default and counts them', () => {
    const scorer = new CsvScorer();
    const out = [...['0,1', '60,1', '120,1', '150,1', '400,2'].flatMap((line, i) => scorer.push(line, i + 1)), ...scorer.finish()];
    expect(out).toHaveLength(6);
    expect(scorer.notes).toMatchObject({ irregular: 2, firstIrregularLine: 4, step: 60 });
  });

  it('accepts gaps that are whole steps', () => {
    const scorer = new CsvScorer();
    const out = [...['0,1', '60,1', '240,1', '300,1'].flatMap((line, i) => scorer.push(line, i + 1)), ...scorer.finish()];
    expect(out).toHaveLength(5);
    expect(scorer.notes.irregular).toBe(0);
  });

  it('gives exactly the scores the live detector gives the same series', async () => {
    const random = new SeededRandom(8);
    const values = Array.from({ length: 3000 }, (_, i) => (i === 2500 ? 900 : random.poisson(20 + 10 * Math.sin(i / 200))));
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const live: string[] = [];
    for (let i = 0; i < values.length; i++) {
      const ts = MONDAY + i * 60;
      const r = await detector.processStep(ts, [{ metric: 'conns', entity: 'h', ts, value: values[i] as number }]);
      live.push((r.scores[0]?.score as number).toFixed(6));
    }
    const lines = ['timestamp,value', ...values.map((v, i) => `${new Date((MONDAY + i * 60) * 1000).toISOString()},${v}`)];
    const offline = scoreAll(lines)
      .slice(1)
      .map((row) => row.split(',')[2]);
    expect(offline).toEqual(live);
    expect(Math.max(...offline.map(Number))).toBeGreaterThan(0.7);
  });

  it('streams a CSV from a readable to a writable', async () => {
    const input = Readable.from(['timestamp,value\n', '0,1\n60,2\n', '120,3\r\n']);
    const output = new Collect();
    const { rows } = await scoreCsvStream(input, output);
    expect(rows).toBe(3);
    expect(output.text.trim().split('\n')).toHaveLength(4);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-01-01 00:01:00', 1704067260, true],
    ['2024-01-01T00:01:00Z', 1704067260, true],
    ['2024-01-01', 1704067200, true],
    ['1704067260', 1704067260, true],
    ['1704067260000', 1704067260, true],
    ['17', 17, false],
    ['1704067260.5', 1704067260.5, true],
    ['2024-01-01T01:01:00+01:00', 1704067260, true],
    ['2024/01/01 00:01:00', 1704067260, true],
    ['01/01/2024 00:01', 1704067260, true],
    ['2/29/2024', 1709164800, true],
  ])('parses %s', (text, seconds, calendar) => {
    expect(parseTimestamp(text)).toEqual({ seconds, calendar });
  });

  it.each(['soon', '2/30/2024', '13/01/2024', '2024/01/01 25:00', '1/2/24'])('returns undefined for %j, which is no time', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});
