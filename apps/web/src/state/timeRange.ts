import type { IntervalInfo } from '@ipscope/api';

/** The ranges the picker offers, newest data last. */
export const PRESETS = {
  '1h': { label: 'Last hour', seconds: 3600 },
  '24h': { label: 'Last 24 hours', seconds: 86_400 },
  '7d': { label: 'Last 7 days', seconds: 7 * 86_400 },
  '12w': { label: 'Last 12 weeks', seconds: 12 * 7 * 86_400 },
} as const;
export type Preset = keyof typeof PRESETS;
export const PRESET_KEYS = Object.keys(PRESETS) as Preset[];

/** A range as the URL states it: relative to now (a preset) or absolute (custom, unix seconds). */
export type RangeSpec = { kind: 'preset'; preset: Preset } | { kind: 'custom'; from: number; to: number };

/** Unix seconds, `from` inclusive, `to` exclusive. */
export interface Window {
  from: number;
  to: number;
}

export const DEFAULT_RANGE: RangeSpec = { kind: 'preset', preset: '24h' };

/** The seed's intervals, used until the catalog has loaded: minute steps for two days, half-hour steps for twelve weeks. */
export const DEFAULT_INTERVALS: readonly IntervalInfo[] = [
  { name: 'days', step: 60, steps: 2880 },
  { name: 'months', step: 1800, steps: 4032 },
];

/** The points a chart is sized for; longer ranges move to a coarser interval. */
export const CHART_POINTS = 1500;

/**
 * The most points a chart asks the server for: about the plot's width in pixels at 1280 px
 * (a chart is ~1 240 px wide, its plot ~1 150 px). More points than pixels cost parsing and
 * drawing without showing more; the server condenses whole groups of buckets (sums, merges,
 * distinct unions), so no peak is averaged away. 24 h of minutes (1 440) thus comes as 720
 * two-minute points; "Load window in detail" reads a zoomed window at full resolution.
 */
export const SERIES_MAX_POINTS = 1100;

export function isPreset(text: string): text is Preset {
  return Object.hasOwn(PRESETS, text);
}

/** The window a range covers at `now` (unix seconds). Presets end at the next whole minute, so the current bucket is included. */
export function resolveRange(spec: RangeSpec, now: number): Window {
  if (spec.kind === 'custom') return { from: spec.from, to: spec.to };
  const to = Math.ceil(now / 60) * 60;
  return { from: to - PRESETS[spec.preset].seconds, to };
}

/**
 * The interval for a window: the finest one that keeps the whole window and draws it in at
 * most `maxPoints` points (1 h and 24 h → minute steps; 7 d and 12 w → half-hour steps).
 * When none fits both, the coarsest that keeps the window (the server condenses the rest).
 */
export function chooseInterval(window: Window, intervals: readonly IntervalInfo[], maxPoints = CHART_POINTS): string {
  const span = Math.max(window.to - window.from, 1);
  const byStep = [...intervals].sort((a, b) => a.step - b.step);
  const keeping = byStep.filter((i) => i.step * i.steps >= span);
  const fitting = keeping.find((i) => span / i.step <= maxPoints);
  const chosen = fitting ?? keeping[keeping.length - 1] ?? byStep[byStep.length - 1];
  return chosen?.name ?? 'days';
}

/** Short label for the picker button and page headings. */
export function describeRange(spec: RangeSpec): string {
  if (spec.kind === 'preset') return PRESETS[spec.preset].label;
  return `${isoMinute(spec.from)} – ${isoMinute(spec.to)} UTC`;
}

/** `2024-05-01T12:34` in UTC: the value a `datetime-local` input shows for unix seconds. */
export function isoMinute(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16);
}

/** Unix seconds from a `datetime-local` value read as UTC, or undefined when it is not a date-time. */
export function parseIsoMinute(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return undefined;
  const ms = Date.parse(`${text}Z`);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** Unix seconds or an ISO-8601 date-time from a URL parameter, as the API accepts them. */
export function parseTime(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) ? Date.parse(value) / 1000 : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}
