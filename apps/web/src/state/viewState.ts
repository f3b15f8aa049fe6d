import { ipOrCidrProblem } from '@ipscope/api';
import type { ChartMode } from '@ipscope/charts';
import { DEFAULT_RANGE, isPreset, parseTime, resolveRange, type RangeSpec, type Window } from './timeRange';

/** How the overview's table of busiest IPs is ordered. */
export type SortKey = 'value' | '-value' | 'ip' | '-ip';
const SORT_KEYS: readonly SortKey[] = ['-value', 'value', 'ip', '-ip'];
const MODES: readonly ChartMode[] = ['line', 'bars', 'stacked', 'heatmap'];
const METRIC_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const INTERVAL_NAME = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Everything that makes a view, all of it in the URL so a pasted link restores it: the
 * range, an interval override, the zoom window, which metrics and how they are drawn,
 * the overview's ranking metric, CIDR filter and sort, and whether live updates run.
 */
export interface ViewState {
  range: RangeSpec;
  interval?: string | undefined;
  zoom?: Window | undefined;
  metrics?: string[] | undefined;
  modes: Record<string, ChartMode>;
  metric?: string | undefined;
  cidr?: string | undefined;
  sort: SortKey;
  live: boolean;
}

/** A URL parameter that was ignored and why: shown to the analyst, never silently dropped. */
export interface ViewProblem {
  parameter: string;
  message: string;
}

export const DEFAULT_VIEW: ViewState = { range: DEFAULT_RANGE, modes: {}, sort: '-value', live: true };

function parseRange(params: URLSearchParams, problems: ViewProblem[]): RangeSpec {
  const rawFrom = params.get('from');
  const rawTo = params.get('to');
  if (rawFrom !== null || rawTo !== null) {
    const from = rawFrom === null ? undefined : parseTime(rawFrom);
    const to = rawTo === null ? undefined : parseTime(rawTo);
    if (from === undefined) problems.push({ parameter: 'from', message: `"${rawFrom ?? ''}" must be unix seconds or an ISO-8601 date-time` });
    else if (to === undefined) problems.push({ parameter: 'to', message: `"${rawTo ?? ''}" must be unix seconds or an ISO-8601 date-time` });
    else if (from >= to) problems.push({ parameter: 'from', message: 'must be before to' });
    else return { kind: 'custom', from, to };
    return DEFAULT_RANGE;
  }
  const range = params.get('range');
  if (range === null) return DEFAULT_RANGE;
  if (isPreset(range)) return { kind: 'preset', preset: range };
  problems.push({ parameter: 'range', message: `"${range}" must be one of 1h, 24h, 7d, 12w (or give from and to)` });
  return DEFAULT_RANGE;
}

function parseZoom(text: string, problems: ViewProblem[]): Window | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text);
  const from = match ? Number(match[1]) : Number.NaN;
  const to = match ? Number(match[2]) : Number.NaN;
  if (!match || !(from < to)) {
    problems.push({ parameter: 'zoom', message: `"${text}" must be <from>-<to> in unix seconds with from before to` });
    return undefined;
  }
  return { from, to };
}

/** Reads a view from a query string. Bad parameters fall back to defaults and are reported in `problems`. */
export function parseView(search: string): { view: ViewState; problems: ViewProblem[] } {
  const params = new URLSearchParams(search);
  const problems: ViewProblem[] = [];
  const view: ViewState = { ...DEFAULT_VIEW, modes: {}, range: parseRange(params, problems) };

  const interval = params.get('interval');
  if (interval !== null) {
    if (INTERVAL_NAME.test(interval)) view.interval = interval;
    else problems.push({ parameter: 'interval', message: `"${interval}" must be an interval name such as days or months` });
  }
  const zoom = params.get('zoom');
  if (zoom !== null) view.zoom = parseZoom(zoom, problems);

  const metrics = params.get('metrics');
  if (metrics !== null) {
    const names = metrics.split(',').filter(Boolean);
    const bad = names.filter((m) => !METRIC_NAME.test(m));
    if (bad.length > 0 || names.length === 0) problems.push({ parameter: 'metrics', message: `"${bad.join(',') || metrics}" must be metric names from the catalog, comma-separated` });
    else view.metrics = names;
  }
  const modes = params.get('modes');
  if (modes !== null) {
    for (const pair of modes.split(',').filter(Boolean)) {
      const at = pair.lastIndexOf(':');
      const name = pair.slice(0, at);
      const mode = pair.slice(at + 1) as ChartMode;
      if (at > 0 && METRIC_NAME.test(name) && MODES.includes(mode)) view.modes[name] = mode;
      else problems.push({ parameter: 'modes', message: `"${pair}" must be <metric>:<line|bars|stacked|heatmap>` });
    }
  }
  const metric = params.get('metric');
  if (metric !== null) {
    if (METRIC_NAME.test(metric)) view.metric = metric;
    else problems.push({ parameter: 'metric', message: `"${metric}" must be a metric name from the catalog` });
  }
  const cidr = params.get('cidr');
  if (cidr !== null) {
    const problem = ipOrCidrProblem(cidr);
    if (problem) problems.push({ parameter: 'cidr', message: problem });
    else view.cidr = cidr.trim();
  }
  const sort = params.get('sort');
  if (sort !== null) {
    if ((SORT_KEYS as readonly string[]).includes(sort)) view.sort = sort as SortKey;
    else problems.push({ parameter: 'sort', message: `"${sort}" must be one of ${SORT_KEYS.join(', ')}` });
  }
  const live = params.get('live');
  if (live !== null) {
    if (live === '0' || live === '1') view.live = live === '1';
    else problems.push({ parameter: 'live', message: `"${live}" must be 0 (paused) or 1` });
  }
  return { view, problems };
}

/** The query string for a view (with `?`, or empty), defaults left out, in a stable order so equal views give equal links. */
export function serializeView(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.range.kind === 'custom') {
    params.set('from', String(view.range.from));
    params.set('to', String(view.range.to));
  } else if (view.range.preset !== (DEFAULT_RANGE.kind === 'preset' ? DEFAULT_RANGE.preset : '')) {
    params.set('range', view.range.preset);
  }
  if (view.interval) params.set('interval', view.interval);
  if (view.zoom) params.set('zoom', `${view.zoom.from}-${view.zoom.to}`);
  if (view.metrics && view.metrics.length > 0) params.set('metrics', view.metrics.join(','));
  const modes = Object.entries(view.modes).sort(([a], [b]) => a.localeCompare(b));
  if (modes.length > 0) params.set('modes', modes.map(([m, mode]) => `${m}:${mode}`).join(','));
  if (view.metric) params.set('metric', view.metric);
  if (view.cidr) params.set('cidr', view.cidr);
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  if (!view.live) params.set('live', '0');
  const text = params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
  return text ? `?${text}` : '';
}

/**
 * The same view pinned to absolute times: what "copy link" shares, so a ticket opened
 * tomorrow shows the incident, not the last 24 hours of tomorrow.
 */
export function pinView(view: ViewState, now: number): ViewState {
  if (view.range.kind === 'custom') return view;
  const { from, to } = resolveRange(view.range, now);
  return { ...view, range: { kind: 'custom', from, to } };
}

/** The zoom window, kept only when it overlaps the range; clipped to it. */
export function effectiveZoom(zoom: Window | undefined, range: Window): Window | undefined {
  if (!zoom) return undefined;
  const from = Math.max(zoom.from, range.from);
  const to = Math.min(zoom.to, range.to);
  if (to <= from || (from === range.from && to === range.to)) return undefined;
  return { from, to };
}
