/**
 * A shorter spelling of the same SVG path: a path made only of absolute `M`, `L` and `Z`
 * commands (how ECharts' SVG renderer writes lines and areas) is rewritten with `H` and `V` for
 * horizontal and vertical segments, and a run of segments along the same horizontal or vertical
 * line in the same direction becomes one segment (a step line's flat stretch). Every drawn point
 * stays where it was, to the digit: the numbers are copied, never recomputed, and only points in
 * the middle of a straight run are left out. Any other path (curves, arcs, relative commands)
 * comes back unchanged. Step charts' paths shrink to about half (session 7: the IP page's nine
 * drawings were 0.87 MB, 93 % of it path data), which the browser parses, lays out and paints.
 */
export function compactSvgPath(d: string): string {
  if (!/^M[\d.\-\sMLZe]*$/.test(d)) return d;
  const tokens = d.match(/[MLZ]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g);
  // Every character but the spaces between numbers must be part of a token, or the path is not one this reads.
  if (!tokens || tokens.join('').length !== d.replace(/\s+/g, '').length) return d;
  const out: string[] = [];
  // The current point (as written and as a number), where its subpath began (`Z` returns there),
  // and the open straight run: 'H'/'V' and its direction.
  let cur = { x: '', y: '', xv: Number.NaN, yv: Number.NaN };
  let start = cur;
  let run: { axis: 'H' | 'V'; sign: number } | undefined;
  for (let i = 0; i < tokens.length; ) {
    const command = tokens[i++]!;
    if (command === 'Z') {
      out.push('Z');
      cur = start;
      run = undefined;
      continue;
    }
    const x = tokens[i++];
    const y = tokens[i++];
    if (x === undefined || y === undefined || !isNumber(x) || !isNumber(y) || (command !== 'M' && command !== 'L')) return d;
    const next = { x, y, xv: Number(x), yv: Number(y) };
    const horizontal = next.yv === cur.yv && next.xv !== cur.xv;
    const vertical = next.xv === cur.xv && next.yv !== cur.yv;
    if (command === 'M' || !(horizontal || vertical)) {
      // A move, a slanted segment, or a zero-length one (kept: with round caps it may be a dot).
      out.push(`${command}${x} ${y}`);
      run = undefined;
      if (command === 'M') start = next;
    } else {
      const axis = horizontal ? 'H' : 'V';
      const sign = horizontal ? Math.sign(next.xv - cur.xv) : Math.sign(next.yv - cur.yv);
      // The same line on, the same way: the run's end moves here instead of a new segment.
      if (run && run.axis === axis && run.sign === sign) out.pop();
      out.push(horizontal ? `H${x}` : `V${y}`);
      run = { axis, sign };
    }
    cur = next;
  }
  return out.join('');
}

const isNumber = (token: string) => token !== 'M' && token !== 'L' && token !== 'Z';

/** The SVG markup with every path's `d` attribute in its shorter spelling (`compactSvgPath`). */
export function compactSvgPaths(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_whole, d: string) => ` d="${compactSvgPath(d)}"`);
}
