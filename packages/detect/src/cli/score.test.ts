import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreCommand } from './score';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-score-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function io(stdinText = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdin: Readable.from([stdinText]), stdout, stderr }, out: () => out, err: () => err };
}

function writeSeries(file: string, rows: number, spikeAt: number): void {
  const lines = ['timestamp,value'];
  let x = 1;
  for (let i = 0; i < rows; i++) {
    x = (x * 48271) % 2147483647;
    lines.push(`${1_700_000_000 + i * 300},${i === spikeAt ? 5000 : 100 + (x % 21)}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('ipscope score', () => {
  it('scores a file into a file, one row per row, and summarises alerts on stderr', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeSeries(input, 2000, 1500);
    const t = io();
    expect(await scoreCommand(['--input', input, '--output', output, '--threshold', '0.5'], t.io)).toBe(0);
    const rows = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('timestamp,value,anomaly_score');
    expect(rows).toHaveLength(2001);
    const scores = rows.slice(1).map((r) => Number(r.split(',')[2]));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores.indexOf(Math.max(...scores))).toBe(1500);
    expect(t.err()).toMatch(/2000 rows scored; 1 alert episode\(s\) at threshold 0\.5/);
  });

  it('takes the live metric\'s model options (--offset) and they change the scores', async () => {
    const input = path.join(dir, 'offset.csv');
    writeSeries(input, 600, 500);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect(await scoreCommand(['--input', input, '--output', a], io().io)).toBe(0);
    expect(await scoreCommand(['--input', input, '--output', b, '--offset', '1000'], io().io)).toBe(0);
    expect(fs.readFileSync(a, 'utf8')).not.toEqual(fs.readFileSync(b, 'utf8'));
  });

  it('reads stdin and writes stdout with -', async () => {
    const t = io('timestamp,value\n1,10\n2,11\n');
    expect(await scoreCommand(['--input', '-', '--output', '-'], t.io)).toBe(0);
    expect(t.out().trim().split('\n')).toEqual(['timestamp,value,anomaly_score', '1,10,0.000000', '2,11,0.000000']);
  });

  it('fails with the line number on a bad row and leaves no half-written output', async () => {
    const input = path.join(dir, 'bad.csv');
    const output = path.join(dir, 'bad-out.csv');
    fs.writeFileSync(input, 'timestamp,value\n0,1\n60,1\n120,1\n150,1\n');
    const t = io();
    expect(await scoreCommand(['--input', input, '--output', output, '--strict'], t.io)).toBe(1);
    expect(t.err()).toMatch(/line 5: irregular step.*without --strict/);
    expect(fs.existsSync(output)).toBe(false);
    const lenient = io();
    expect(await scoreCommand(['--input', input, '--output', output], lenient.io)).toBe(0);
    expect(fs.readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(5);
    expect(lenient.err()).toMatch(/1 row\(s\) after a gap that is not a whole number of steps \(first: line 5\)/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it.each([
    [['--threshold', '7'], /--threshold must be a number in \(0, 1\]/],
    [['--bogus'], /unknown argument "--bogus"/],
    [['--input'], /--input needs a value/],
    [['--transform', 'sqrt'], /transform: "sqrt" is not one of/],
    [['--offset', '-1'], /--offset must be a positive number/],
  ])('rejects usage error %j with exit code 2', async (argv, message) => {
    const t = io();
    expect(await scoreCommand(argv, t.io)).toBe(2);
    expect(t.err()).toMatch(message);
  });

  it('says when the input file does not exist', async () => {
    const t = io();
    expect(await scoreCommand(['--input', path.join(dir, 'nope.csv')], t.io)).toBe(1);
    expect(t.err()).toMatch(/does not exist/);
  });
});
