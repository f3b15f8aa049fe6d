import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BackfillError } from './backfillError';

/** One file of an archive, as found when the backfill started. */
export interface ArchiveFile {
  /** Absolute path, as walked (symbolic links are not resolved in it). */
  path: string;
  /** Bytes on disk (compressed size for `.gz`). */
  size: number;
  mtimeMs: number;
}

/**
 * Lists the files to replay: each input file as it is, each folder walked
 * recursively. The order is deterministic (inputs in the order given, folder
 * entries sorted by name, byte-wise), so a resumed run walks the same way.
 * Hidden entries (`.name`) inside folders are left out; a file reached twice
 * (named twice, or through a link) is listed once. Throws a
 * {@link BackfillError} (`input`) for a path that does not exist or cannot be
 * read, or when no file is found at all.
 */
export async function listArchiveFiles(inputs: readonly string[]): Promise<ArchiveFile[]> {
  const files: ArchiveFile[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const absolute = path.resolve(input);
    const stat = await statOrThrow(absolute, input);
    if (stat.isDirectory()) await walk(absolute, files, seen, new Set());
    else if (stat.isFile()) await add(absolute, stat, files, seen);
    else throw new BackfillError('input', `${input} is neither a file nor a folder`);
  }
  if (files.length === 0) throw new BackfillError('input', `no files found in ${inputs.join(', ')}`);
  return files;
}

async function walk(dir: string, files: ArchiveFile[], seen: Set<string>, ancestors: Set<string>): Promise<void> {
  const real = await fs.realpath(dir);
  if (ancestors.has(real)) return; // a link back up the tree
  const inner = new Set(ancestors).add(real);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (caught) {
    throw new BackfillError('input', `cannot list folder ${dir}: ${reason(caught)}`, false, { cause: caught });
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const stat = await statOrThrow(full, full);
    if (stat.isDirectory()) await walk(full, files, seen, inner);
    else if (stat.isFile()) await add(full, stat, files, seen);
  }
}

async function add(file: string, stat: { size: number; mtimeMs: number }, files: ArchiveFile[], seen: Set<string>): Promise<void> {
  const real = await fs.realpath(file);
  if (seen.has(real)) return;
  seen.add(real);
  files.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
}

async function statOrThrow(file: string, shown: string) {
  try {
    return await fs.stat(file);
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be read (${reason(caught)})`;
    throw new BackfillError('input', `${shown} ${what}`, false, { cause: caught });
  }
}

function reason(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}
