import type { Window } from '../../state/timeRange';

/** Half the visible window around its middle (never narrower than two steps). */
export function zoomIn(visible: Window, step: number): Window {
  const span = Math.max((visible.to - visible.from) / 2, 2 * step);
  const mid = (visible.from + visible.to) / 2;
  return { from: Math.round(mid - span / 2), to: Math.round(mid + span / 2) };
}

/** Twice the visible window around its middle, kept inside the range; undefined once it covers the range (no zoom). */
export function zoomOut(visible: Window, range: Window): Window | undefined {
  const span = (visible.to - visible.from) * 2;
  if (span >= range.to - range.from) return undefined;
  const mid = (visible.from + visible.to) / 2;
  let from = mid - span / 2;
  let to = mid + span / 2;
  if (from < range.from) [from, to] = [range.from, range.from + span];
  if (to > range.to) [from, to] = [range.to - span, range.to];
  return { from: Math.round(from), to: Math.round(to) };
}

/** The window widened to whole points (`step` seconds), so a zoom shows, exports and links whole buckets. */
export function alignWindow(window: Window, step: number): Window {
  return { from: Math.floor(window.from / step) * step, to: Math.ceil(window.to / step) * step };
}
