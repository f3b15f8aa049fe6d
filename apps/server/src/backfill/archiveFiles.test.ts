import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listArchiveFiles } from './archiveFiles';

const root = mkdtempSync(path.join(tmpdir(), 'ipscope-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text = 'x\n'): string {
  const full = path.join(root, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe('listArchiveFiles', () => {
  it('walks folders recursively in sorted order, skipping hidden entries and duplicates', async () => {
    file('tree/b/conn.log');
    file('tree/a/2.log.gz', 'xyz');
    file('tree/a/10.log');
    file('tree/.hidden/secret.log');
    file('tree/.DS_Store');
    file('tree/Z.json');
    symlinkSync(path.join(root, 'tree/b'), path.join(root, 'tree/c-link'));
    const files = await listArchiveFiles([path.join(root, 'tree'), path.join(root, 'tree/Z.json')]);
    expect(files.map((f) => path.relative(root, f.path))).toEqual(['tree/Z.json', 'tree/a/10.log', 'tree/a/2.log.gz', 'tree/b/conn.log']);
    expect(files[2]).toMatchObject({ size: 3 });
    expect(files[2]?.mtimeMs).toBeGreaterThan(0);
  });

  it('takes a file as it is, hidden or not, with an absolute path', async () => {
    const hidden = file('single/.eve.json');
    const relative = path.relative(process.cwd(), hidden);
    expect((await listArchiveFiles([relative])).map((f) => f.path)).toEqual([hidden]);
  });

  it('does not loop on a link back up the tree', async () => {
    file('loop/inner/a.log');
    symlinkSync(path.join(root, 'loop'), path.join(root, 'loop/inner/up'));
    expect((await listArchiveFiles([path.join(root, 'loop')])).map((f) => path.basename(f.path))).toEqual(['a.log']);
  });

  it('names a path that does not exist', async () => {
    await expect(listArchiveFiles([path.join(root, 'nope.log')])).rejects.toThrow(/nope\.log does not exist/);
  });

  it('refuses a folder without files', async () => {
    mkdirSync(path.join(root, 'empty/deeper'), { recursive: true });
    await expect(listArchiveFiles([path.join(root, 'empty')])).rejects.toThrow(/no files found/);
  });
});
