/**
 * Upper tail of the standard normal distribution, P(Z > x).
 * Uses the complementary error function approximation of W. J. Cody's form as given
 * by Press et al. (fractional error below 1.2e-7 everywhere), which keeps precision
 * far into the tail where `1 - cdf` would round to zero.
 */
export function normalSurvival(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Maps a chi-square statistic with `df` degrees of freedom to an equivalent
 * standard-normal deviate (Wilson–Hilferty cube-root transform), so a chi-square
 * test can be calibrated by the same tail model as the other views.
 */
export function chiSquareToZ(statistic: number, df: number): number {
  if (df <= 0 || !(statistic > 0)) return -10;
  const v = 2 / (9 * df);
  return (Math.cbrt(statistic / df) - (1 - v)) / Math.sqrt(v);
}
