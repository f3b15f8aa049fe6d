/**
 * The step of a series from some of its timestamps: the most common positive gap
 * between consecutive ones (gaps equal to 1 part in 10⁶ count as one; a tie goes to
 * the smaller gap). A missing row or two among the first rows therefore does not
 * double the step, as taking the first gap would. Undefined when no gap is positive.
 */
export function inferStep(seconds: readonly number[]): number | undefined {
  const counts: { gap: number; n: number }[] = [];
  for (let i = 1; i < seconds.length; i++) {
    const gap = (seconds[i] as number) - (seconds[i - 1] as number);
    if (!(gap > 0)) continue;
    const same = counts.find((c) => Math.abs(c.gap - gap) <= 1e-6 * gap);
    if (same) same.n++;
    else counts.push({ gap, n: 1 });
  }
  let best: { gap: number; n: number } | undefined;
  for (const c of counts) if (best === undefined || c.n > best.n || (c.n === best.n && c.gap < best.gap)) best = c;
  return best?.gap;
}
