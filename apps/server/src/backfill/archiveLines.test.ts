import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter, readArchiveLines, type ArchiveLine } from './archiveLines';

const dir = mkdtempSync(path.join(tmpdir(), 'ipscope-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function split(chunks: string[], max = 1024, keep = 16): ArchiveLine[] {
  const splitter = new LineSplitter(max, keep);
  const lines = chunks.flatMap((c) => splitter.push(Buffer.from(c)));
  const last = splitter.end();
  return last === undefined ? lines : [...lines, last];
}

async function readAll(file: string, max = 1024 * 1024): Promise<{ lines: ArchiveLine[]; disk: number }> {
  let disk = 0;
  const lines: ArchiveLine[] = [];
  for await (const batch of readArchiveLines(file, { maxLineBytes: max, onDiskBytes: (n) => (disk += n) })) lines.push(...batch);
  return { lines, disk };
}

describe('LineSplitter', () => {
  it('numbers lines from 1 and drops the newline and a CR before it', () => {
    const lines = split(['a\r\nbb\n', '\nccc']);
    expect(lines.map((l) => [l.no, l.bytes.toString(), l.length, l.truncated])).toEqual([
      [1, 'a', 1, false],
      [2, 'bb', 2, false],
      [3, '', 0, false],
      [4, 'ccc', 3, false],
    ]);
  });

  it('joins a line cut across chunks', () => {
    expect(split(['he', 'll', 'o\nwor', 'ld\n']).map((l) => l.bytes.toString())).toEqual(['hello', 'world']);
  });

  it('gives no extra empty line after a final newline', () => {
    expect(split(['x\n'])).toHaveLength(1);
    expect(split([])).toHaveLength(0);
  });

  it('truncates a line over the limit, keeps its start and full length, and goes on', () => {
    const long = 'y'.repeat(100);
    const lines = split([`ok\n${long.slice(0, 30)}`, long.slice(30, 70), `${long.slice(70)}\nnext\n`], 50, 8);
    expect(lines[1]).toMatchObject({ no: 2, length: 100, truncated: true });
    expect(lines[1]?.bytes.toString()).toBe('yyyyyyyy');
    expect(lines[2]?.bytes.toString()).toBe('next');
  });

  it('splits any text exactly like String.split on newlines, however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r', 'é'), { maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 5 }), (chars, cuts) => {
        const text = chars.join('');
        const bytes = Buffer.from(text);
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(at, p));
          at = p;
        }
        const splitter = new LineSplitter(1024, 16);
        const lines = chunks.flatMap((c) => splitter.push(c));
        const last = splitter.end();
        if (last !== undefined) lines.push(last);
        const expected = text.split('\n');
        if (expected[expected.length - 1] === '') expected.pop();
        expect(lines.map((l) => l.bytes.toString())).toEqual(expected.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
      }),
    );
  });
});

describe('readArchiveLines', () => {
  it('reads a plain file and reports every byte read', async () => {
    const file = path.join(dir, 'plain.log');
    writeFileSync(file, 'one\ntwo\nthree');
    const { lines, disk } = await readAll(file);
    expect(lines.map((l) => l.bytes.toString())).toEqual(['one', 'two', 'three']);
    expect(disk).toBe(13);
  });

  it('decompresses gzip by its magic bytes, concatenated members included, counting compressed bytes', async () => {
    const file = path.join(dir, 'archive.bin');
    const body = Buffer.concat([gzipSync('a\nb\n'), gzipSync('c\nd\n')]);
    writeFileSync(file, body);
    const { lines, disk } = await readAll(file);
    expect(lines.map((l) => l.bytes.toString())).toEqual(['a', 'b', 'c', 'd']);
    expect(disk).toBe(body.length);
  });

  it('streams a long file in many chunks without losing a line', async () => {
    const file = path.join(dir, 'long.log.gz');
    const text = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n');
    writeFileSync(file, gzipSync(text));
    const { lines } = await readAll(file);
    expect(lines).toHaveLength(50_000);
    expect(lines[49_999]).toMatchObject({ no: 50_000 });
    expect(lines[49_999]?.bytes.toString()).toBe('line 49999');
  });

  it('keeps only the start of an over-long line', async () => {
    const file = path.join(dir, 'huge.log');
    writeFileSync(file, `a\n${'z'.repeat(3 * 1024 * 1024)}\nb\n`);
    const { lines } = await readAll(file, 1024 * 1024);
    expect(lines.map((l) => [l.length, l.truncated, l.bytes.length])).toEqual([
      [1, false, 1],
      [3 * 1024 * 1024, true, 64 * 1024],
      [1, false, 1],
    ]);
  });

  it('yields the lines before a corrupt gzip tail, then throws', async () => {
    const file = path.join(dir, 'broken.gz');
    const good = gzipSync(Array.from({ length: 1000 }, (_, i) => `row ${i}`).join('\n') + '\n');
    writeFileSync(file, good.subarray(0, good.length - 12));
    const seen: ArchiveLine[] = [];
    await expect(
      (async () => {
        for await (const batch of readArchiveLines(file, { maxLineBytes: 1024 })) seen.push(...batch);
      })(),
    ).rejects.toThrow(/unexpected end of file/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((l, i) => l.bytes.toString() === `row ${i}`)).toBe(true);
  });

  it('throws for a file that does not exist', async () => {
    await expect(readAll(path.join(dir, 'missing.log'))).rejects.toThrow(/ENOENT/);
  });
});
