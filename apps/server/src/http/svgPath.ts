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
  // One pass over the characters, no token arrays: the drawing of a page writes ~0.8 MB of paths.
  const n = d.length;
  if (n === 0 || d.charCodeAt(0) !== 77 /* M */) return d;
  const out: string[] = [];
  // The current point as written (and its subpath's start, where `Z` returns), and the open straight
  // run (the last command written): 1 = horizontal, 2 = vertical, signed by its direction.
  let x = '';
  let y = '';
  let startX = '';
  let startY = '';
  let run = 0;
  let i = 0;
  const number = (): string | undefined => {
    while (i < n && d.charCodeAt(i) === 32) i++;
    const from = i;
    if (i < n && d.charCodeAt(i) === 45 /* - */) i++;
    let digits = 0;
    for (let c = d.charCodeAt(i); i < n && ((c >= 48 && c <= 57) || c === 46 || c === 101 || ((c === 45 || c === 43) && d.charCodeAt(i - 1) === 101)); c = d.charCodeAt(++i)) digits++;
    return digits > 0 ? d.slice(from, i) : undefined;
  };
  while (i < n) {
    const command = d.charCodeAt(i++);
    if (command === 32) continue;
    if (command === 90 /* Z */) {
      out.push('Z');
      x = startX;
      y = startY;
      run = 0;
      continue;
    }
    if (command !== 77 && command !== 76 /* L */) return d;
    const nx = number();
    const ny = number();
    if (nx === undefined || ny === undefined) return d;
    // Numbers are compared as written: the renderer writes one value one way.
    const horizontal = ny === y && nx !== x;
    const vertical = nx === x && ny !== y;
    if (command === 77 || !(horizontal || vertical)) {
      // A move, a slanted segment, or a zero-length one (kept: with round caps it may be a dot).
      out.push(`${command === 77 ? 'M' : 'L'}${nx} ${ny}`);
      run = 0;
      if (command === 77) {
        startX = nx;
        startY = ny;
      }
    } else {
      const next = horizontal ? (Number(nx) > Number(x) ? 1 : -1) : Number(ny) > Number(y) ? 2 : -2;
      // The same line on, the same way: the run's end moves here instead of a new segment.
      if (run === next) out.pop();
      out.push(horizontal ? `H${nx}` : `V${ny}`);
      run = next;
    }
    x = nx;
    y = ny;
  }
  return out.join('');
}

/** The SVG markup with every path's `d` attribute in its shorter spelling (`compactSvgPath`). */
export function compactSvgPaths(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_whole, d: string) => ` d="${compactSvgPath(d)}"`);
}
