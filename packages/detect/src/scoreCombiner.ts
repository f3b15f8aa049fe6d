/**
 * Names of the model views that can explain a score. `peerBeacon` and `peerFlow` are
 * the peer view's (a host's peers, not one series: see `PeerModel`).
 */
export type ViewName = 'spike' | 'levelShift' | 'sustainedShift' | 'distribution' | 'newcomer' | 'stuck' | 'empty' | 'peerBeacon' | 'peerFlow';

/** What one view concluded about the newest bucket. */
export interface ViewResult {
  view: ViewName;
  /** Calibrated tail probability of a deviation at least this large under normal behaviour. */
  p: number;
  /** Standardised size of the deviation (sign gives direction for value views). */
  z: number;
  /** How far the view trusts its history, in [0, 1]; 1 = fully warmed up. */
  confidence: number;
  /** Distribution view only: the category that moved most, with its expected and observed share. */
  category?: string;
  expectedShare?: number;
  observedShare?: number;
}

/** −log10 p at which the score saturates at 1. */
export const SCORE_DECADES = 10;

/** Maps a tail probability to a score in [0, 1]: 0.1 per decade of improbability. */
export function scoreFromProbability(p: number): number {
  if (!(p < 1)) return 0;
  if (!(p > 0)) return 1;
  return Math.min(1, -Math.log10(p) / SCORE_DECADES);
}

/** The tail probability a score stands for (inverse of {@link scoreFromProbability}). */
export function probabilityFromScore(score: number): number {
  return Math.pow(10, -score * SCORE_DECADES);
}

/** The probability at which the score saturates at 1. */
const SATURATION_P = Math.pow(10, -SCORE_DECADES);

/**
 * A view's probability softened by its confidence: p^confidence, with the evidence
 * first capped where the score saturates (10^−{@link SCORE_DECADES}). Without the
 * cap a view still learning its history could claim unbounded decades (a tail that
 * underflows to p = 0 stays 0 at any confidence, and 10^−300 at confidence 0.05 is
 * still 10^−15), so a young series could score 1; with it, a view's score never
 * exceeds its confidence. Fully confident views pass through unchanged.
 */
export function dampedProbability(view: ViewResult): number {
  if (view.confidence >= 1) return view.p;
  const confidence = Math.max(0, view.confidence);
  return Math.pow(Math.max(view.p, SATURATION_P), confidence);
}

/**
 * Combines views into one score and names the view that fired.
 *
 * Each view's probability is first softened by its confidence
 * ({@link dampedProbability}: a view with half its history counts half the decades
 * of evidence, at most half the saturating ones), then the smallest is corrected for
 * having looked several times (Bonferroni: × number of views). The result is
 * monotone in every view's evidence and never exceeds what the strongest view alone
 * would say.
 */
export function combineViews(views: readonly ViewResult[]): { score: number; p: number; top: ViewResult | undefined } {
  let best = 1;
  let top: ViewResult | undefined;
  for (const view of views) {
    const p = dampedProbability(view);
    if (p < best || top === undefined) {
      best = p;
      top = view;
    }
  }
  const p = Math.min(1, best * Math.max(1, views.length));
  return { score: scoreFromProbability(p), p, top };
}
