import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test helper: the lines of a file under packages/events/fixtures, without the final empty line. */
export function fixtureLines(name: string): string[] {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line of a `bad-lines.tsv` fixture: expected reason, field (`-` for none) and the input. */
export interface BadLine {
  reason: string;
  field: string | undefined;
  input: string;
}

/** Test helper: reads a `bad-lines.tsv` fixture. */
export function badLines(name: string): BadLine[] {
  return fixtureLines(name).map((line) => {
    const [reason = '', field = '', ...rest] = line.split('\t');
    return { reason, field: field === '-' ? undefined : field, input: rest.join('\t') };
  });
}
