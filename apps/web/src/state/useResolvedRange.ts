import { useMemo } from 'react';
import { useIntervals } from '../api/queries';
import { useLive } from '../live/LiveProvider';
import { chooseInterval, resolveRange, type Window } from './timeRange';
import type { ViewState } from './viewState';

/** The view's range as a window at the live clock, and the interval to read it at (the override, else chosen from the range). */
export function useResolvedRange(view: ViewState): { window: Window; interval: string; autoInterval: string } {
  const { now } = useLive();
  const intervals = useIntervals();
  const window = useMemo(() => resolveRange(view.range, now), [view.range, now]);
  const autoInterval = useMemo(() => chooseInterval(window, intervals), [window, intervals]);
  const known = view.interval !== undefined && intervals.some((i) => i.name === view.interval);
  return { window, interval: known ? view.interval! : autoInterval, autoInterval };
}
