import { describe, expect, it } from 'vitest';
import { compactSvgPath, compactSvgPaths } from './svgPath';

/** The points a path visits, per subpath, from absolute M/L/H/V/Z commands (the test's own reading of SVG path syntax). */
function vertices(d: string): Array<Array<[number, number]>> {
  const subpaths: Array<Array<[number, number]>> = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const n = args!.trim() === '' ? [] : args!.trim().split(/\s+/).map(Number);
    if (command === 'M') subpaths.push([]);
    if (command === 'M' || command === 'L') [x, y] = [n[0]!, n[1]!];
    else if (command === 'H') x = n[0]!;
    else if (command === 'V') y = n[0]!;
    else {
      const first = subpaths.at(-1)![0]!;
      [x, y] = first;
      subpaths.at(-1)!.push([x, y]);
      continue;
    }
    subpaths.at(-1)!.push([x, y]);
  }
  return subpaths;
}

/** The same subpaths without points in the middle of a straight horizontal or vertical run going one way. */
function withoutRunMiddles(subpaths: Array<Array<[number, number]>>): Array<Array<[number, number]>> {
  return subpaths.map((points) =>
    points.filter((p, i) => {
      const a = points[i - 1];
      const b = points[i + 1];
      if (!a || !b) return true;
      const alongX = a[1] === p[1] && p[1] === b[1] && Math.sign(p[0] - a[0]) === Math.sign(b[0] - p[0]) && p[0] !== a[0];
      const alongY = a[0] === p[0] && p[0] === b[0] && Math.sign(p[1] - a[1]) === Math.sign(b[1] - p[1]) && p[1] !== a[1];
      return !(alongX || alongY);
    }),
  );
}

describe('compactSvgPath', () => {
  it.each([
    ['a step line', 'M64 203.2L64 212.8L65.6 212.8L65.6 208L67.2 208', 'M64 203.2V212.8H65.6V208H67.2'],
    ['a flat stretch in one direction becomes one segment', 'M0 5L1 5L2 5L3.5 5', 'M0 5H3.5'],
    ['a turn back along the same line stays two segments', 'M0 5L3 5L1 5', 'M0 5H3H1'],
    ['slanted segments keep their L', 'M0 0L1 2L3 4', 'M0 0L1 2L3 4'],
    ['a closed area returns to its start before the next segment', 'M1 1L1 9L5 9ZL1 4', 'M1 1V9H5ZV4'],
    ['a zero-length segment is kept', 'M2 2L2 2', 'M2 2L2 2'],
    ['negative and exponent numbers are copied as written', 'M-1.5 2e-7L-1.5 3L4 3', 'M-1.5 2e-7V3H4'],
  ])('%s', (_name, d, expected) => {
    expect(compactSvgPath(d)).toBe(expected);
  });

  it.each([
    ['curves', 'M0 0C1 1 2 2 3 3'],
    ['relative commands', 'M0 0l1 1'],
    ['a number missing', 'M0 0L1'],
    ['a stray character', 'M0 0L1 1x'],
    ['an empty path', ''],
  ])('leaves a path it does not read unchanged: %s', (_name, d) => {
    expect(compactSvgPath(d)).toBe(d);
  });

  it('visits the same points as the original, less the middles of straight runs (stacked step areas)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const top: Array<[number, number]> = [];
      let x = 64;
      for (let i = 0; i < 200; i++) {
        const y = Math.round((200 + (random() < 0.4 ? 0 : random() * 40)) * 10) / 10;
        top.push([x, y], [Math.round((x + 1.6) * 10) / 10, y]);
        x = Math.round((x + 1.6) * 10) / 10;
      }
      const bottom = top.map(([px, py]) => [px, Math.round((py + 8) * 10) / 10] as [number, number]).reverse();
      const d = `M${[...top, ...bottom].map(([px, py]) => `${px} ${py}`).join('L')}Z`;
      const compact = compactSvgPath(d);
      expect(compact.length).toBeLessThan(d.length * 0.75);
      expect(vertices(compact)).toEqual(withoutRunMiddles(vertices(d)));
    }
  });

  it('rewrites the d attributes in SVG markup and leaves text as it is', () => {
    const svg = '<svg><path d="M0 5L1 5L2 5" fill="#fff"></path><text x="1" d="M0 0L1 0">L1 0</text><path d="M0 0C1 1 2 2 3 3"></path></svg>';
    expect(compactSvgPaths(svg)).toBe('<svg><path d="M0 5H2" fill="#fff"></path><text x="1" d="M0 0H1">L1 0</text><path d="M0 0C1 1 2 2 3 3"></path></svg>');
  });
});
