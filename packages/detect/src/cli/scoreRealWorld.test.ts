import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../testing/seededRandom';
import { scoreCommand } from './score';

// Real-world shaped files (NAB, Yahoo S5, spreadsheet exports) through the command as
// an analyst runs it: a file in, a file out.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-score-real-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2014, 1, 14, 14, 30) / 1000;

function nabTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const fileName = (name: string): string => name.replace(/[^a-z0-9-]+/gi, '_');

interface Scored {
  code: number;
  rows: string[][];
  scores: number[];
  err: string;
}

async function score(name: string, text: string, extra: string[] = []): Promise<Scored> {
  const input = path.join(dir, `${fileName(name)}.csv`);
  const output = path.join(dir, `${fileName(name)}.out.csv`);
  fs.writeFileSync(input, text);
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await scoreCommand(['--input', input, '--output', output, ...extra], { stdin: Readable.from(['']), stdout: new PassThrough(), stderr });
  if (code !== 0) return { code, rows: [], scores: [], err };
  const lines = fs.readFileSync(output, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('timestamp,value,anomaly_score');
  const rows = lines.slice(1).map((l) => l.split(','));
  return { code, rows, scores: rows.map((r) => Number(r[2])), err };
}

/** A 5-minute series with a daily wave and noise, a spike at `spikeAt` (NAB-like). */
function wave(n: number, seed: number, spikeAt: number, scale = 1, level = 50): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => scale * (level + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * random.normal() + (i === spikeAt ? 40 : 0)));
}

function csv(header: string | undefined, rows: (string | number)[][]): string {
  return `${[...(header === undefined ? [] : [header]), ...rows.map((r) => r.join(','))].join('\n')}\n`;
}

const argmax = (xs: number[]): number => xs.indexOf(Math.max(...xs));
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

describe('ipscope score on real-world shaped files', () => {
  const values = wave(3000, 1, 2000);

  it('scores NAB timestamps (YYYY-MM-DD HH:MM:SS, 5-minute step): one row per row, continuous scores, the spike highest', async () => {
    const r = await score('nab', csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)])));
    expect(r.code).toBe(0);
    expect(r.rows).toHaveLength(3000);
    expect(r.rows[5]).toEqual([nabTime(T0 + 1500), (values[5] as number).toFixed(3), expect.any(String)]);
    expect(r.scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(argmax(r.scores.slice(600)) + 600).toBe(2000);
    expect(r.scores[2000]).toBeGreaterThanOrEqual(0.6);
    const normal = r.scores.slice(600, 2000);
    expect(Math.max(...normal)).toBeLessThan(0.45);
    expect(quantile(normal, 0.99)).toBeLessThan(0.3);
    // Continuous: many distinct values, not a 0/1 flag.
    expect(new Set(normal.map((s) => s.toFixed(2))).size).toBeGreaterThan(20);
    expect(r.err).toMatch(/step 300 \(most common gap/);
  });

  it.each<[string, (s: number) => string]>([
    ['ISO 8601 with Z', (s) => new Date(s * 1000).toISOString()],
    ['ISO 8601 with an offset', (s) => `${new Date((s + 3600) * 1000).toISOString().slice(0, 19)}+01:00`],
    ['epoch seconds', (s) => String(s)],
    ['epoch milliseconds', (s) => String(s * 1000)],
    ['YYYY/MM/DD HH:MM:SS', (s) => nabTime(s).replace(/-/g, '/')],
  ])('gives %s exactly the scores of the same series in NAB timestamps', async (name, format) => {
    const nab = await score(`nab-${name}`, csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)])));
    const other = await score(`fmt-${name}`, csv('timestamp,value', values.map((v, i) => [format(T0 + 300 * i), v.toFixed(3)])));
    expect(other.code).toBe(0);
    expect(other.scores).toEqual(nab.scores);
  });

  it('finds the columns by name in any order and ignores extra ones (a label column, Yahoo S5 decompositions)', async () => {
    const plain = await score('plain', csv('timestamp,value', values.map((v, i) => [T0 + 300 * i, v.toFixed(3)])));
    const labelled = await score('labelled', csv('label,value,timestamp', values.map((v, i) => [i === 2000 ? 1 : 0, v.toFixed(3), T0 + 300 * i])));
    const yahoo = await score('yahoo', csv('timestamps,anomaly,changepoint,trend,value', values.map((v, i) => [T0 + 300 * i, 0, 0, 1.5, v.toFixed(3)])));
    expect(labelled.scores).toEqual(plain.scores);
    expect(yahoo.scores).toEqual(plain.scores);
    expect(labelled.rows[0]?.[0]).toBe(String(T0));
  });

  it.each([
    ['tab', '\t'],
    ['semicolon', ';'],
  ])('reads a %s-separated file as the comma-separated one', async (name, delimiter) => {
    const plain = await score('comma', csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)])));
    const text = csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)])).replace(/,/g, delimiter);
    const other = await score(`delimited-${name}`, text);
    expect(other.code).toBe(0);
    expect(other.scores).toEqual(plain.scores);
    expect(other.rows[0]).toEqual(plain.rows[0]);
  });

  it('reads decimal commas in a semicolon-separated file, and echoes them quoted', async () => {
    const plain = await score('decimal-point', csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)])));
    const text = `${['timestamp;value', ...values.map((v, i) => `${nabTime(T0 + 300 * i)};${v.toFixed(3).replace('.', ',')}`)].join('\n')}\n`;
    const other = await score('decimal-comma', text);
    expect(other.code).toBe(0);
    expect(other.rows.map((r) => Number(r.at(-1)))).toEqual(plain.scores);
    const out = fs.readFileSync(path.join(dir, 'decimal-comma.out.csv'), 'utf8').split('\n');
    expect(out[2]).toBe(`${nabTime(T0 + 300)},"${(values[1] as number).toFixed(3).replace('.', ',')}",${plain.rows[1]?.[2]}`);
  });

  it('handles gaps, a duplicated row and rows out of order: one row out per row in, in input order', async () => {
    const rows = values.map((v, i) => [nabTime(T0 + 300 * i), v.toFixed(3)]).filter((_, i) => !(i >= 1000 && i < 1012) && i !== 1500);
    rows.splice(700, 0, rows[699] as string[]);
    [rows[900], rows[901]] = [rows[901] as string[], rows[900] as string[]];
    const r = await score('messy', csv('timestamp,value', rows));
    expect(r.code).toBe(0);
    expect(r.rows.map((x) => x[0])).toEqual(rows.map((x) => x[0]));
    expect(r.scores[700]).toBe(r.scores[699]);
    expect(r.err).toMatch(/2 row\(s\) not after the previous row's time \(first: line 702\)/);
    expect(r.err).not.toMatch(/irregular|whole number/);
    // The spike is still the highest score after the warm-up (it moved up 12 rows: 13 were dropped, 1 added).
    expect(argmax(r.scores.slice(600)) + 600).toBe(2000 - 12);
    const strict = await score('messy-strict', csv('timestamp,value', rows), ['--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/line 702: timestamp is not after line 701's/);
  });

  it('infers a step of 5 minutes when the second row is missing, and an hourly step', async () => {
    const first = await score('first-gap', csv('timestamp,value', values.map((v, i) => [nabTime(T0 + 300 * i), v]).filter((_, i) => i !== 1)));
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/step 300 /);
    expect(first.err).not.toMatch(/whole number/);
    const hourly = await score('hourly', csv('timestamp,value', values.slice(0, 500).map((v, i) => [nabTime(T0 + 3600 * i), v])));
    expect(hourly.err).toMatch(/step 3600 /);
    expect(hourly.rows).toHaveLength(500);
  });

  it('scores a constant series 0 and its first change 1', async () => {
    const r = await score('constant', csv('timestamp,value', Array.from({ length: 800 }, (_, i) => [T0 + 60 * i, i >= 700 ? 13.5 : 12.5])));
    expect(r.scores.slice(0, 700).every((s) => s === 0)).toBe(true);
    expect(r.scores[700]).toBe(1);
  });

  it.each([0, 1, 2, 5, 9])('scores a series of %i row(s): one row out per row in', async (n) => {
    const r = await score(`short-${n}`, csv('timestamp,value', Array.from({ length: n }, (_, i) => [nabTime(T0 + 300 * i), i + 1])));
    expect(r.code).toBe(0);
    expect(r.rows).toHaveLength(n);
    expect(r.scores.every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it('gives huge and tiny magnitudes the same scores as the series at ordinary scale', async () => {
    const ordinary = await score('ordinary', csv('timestamp,value', values.map((v, i) => [T0 + 300 * i, v])));
    for (const scale of [1e12, 1e-9]) {
      const r = await score(`scale-${scale}`, csv('timestamp,value', values.map((v, i) => [T0 + 300 * i, v * scale])));
      expect(r.code).toBe(0);
      expect(argmax(r.scores.slice(600)) + 600).toBe(2000);
      const diff = Math.max(...r.scores.map((s, i) => Math.abs(s - (ordinary.scores[i] as number))));
      expect(diff).toBeLessThan(0.02);
    }
  });

  it('scores negative values (temperatures) and finds a level shift within 3 rows', async () => {
    const random = new SeededRandom(4);
    const temps = Array.from({ length: 2000 }, (_, i) => -5 + 3 * Math.sin((2 * Math.PI * i) / 24) + random.normal() + (i >= 1500 ? 8 : 0));
    const r = await score('temps', csv('timestamp,value', temps.map((v, i) => [nabTime(T0 + 3600 * i), v.toFixed(2)])));
    expect(r.code).toBe(0);
    expect(Math.max(...r.scores.slice(400, 1500))).toBeLessThan(0.45);
    expect(r.scores.slice(1500, 1503).filter((s) => s >= 0.4).length).toBeGreaterThanOrEqual(2);
  });

  it('gives a missing value (empty, NaN) score 0 and keeps its row', async () => {
    const r = await score('missing', csv('timestamp,value', values.slice(0, 300).map((v, i) => [T0 + 300 * i, i === 100 ? '' : i === 200 ? 'NaN' : v])));
    expect(r.rows).toHaveLength(300);
    expect(r.scores[100]).toBe(0);
    expect(r.scores[200]).toBe(0);
    expect(r.rows[200]?.[1]).toBe('NaN');
    expect(r.err).toMatch(/2 row\(s\) without a value/);
  });

  it.each<[string, string, RegExp]>([
    ['a value that is text', 'timestamp,value\n2014-02-14 14:30:00,1\n2014-02-14 14:35:00,high\n', /line 3: value "high" is not a finite number/],
    ['a timestamp that is no time', 'timestamp,value\n2014-02-14 14:30:00,1\n2014-02-31 14:35:00,2\n', /line 3: timestamp "2014-02-31 14:35:00" is not a date/],
    ['a row that lacks the value column', 'timestamp,label,value\n2014-02-14 14:30:00,0,1\n2014-02-14 14:35:00,0\n', /line 3: expected at least 3 columns/],
  ])('fails on %s naming the line, and writes no output', async (name, text, message) => {
    const r = await score(`bad-${name}`, text);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(fs.existsSync(path.join(dir, `${fileName(`bad-${name}`)}.out.csv`))).toBe(false);
  });
});
