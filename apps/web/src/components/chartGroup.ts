import type { TimeWindow } from '@ipscope/charts';
import { flushDraws } from './drawScheduler';
import type { ChartInstance } from './echartsCore';

/** A chart of a group: where it is on the page, and how to move its zoom window. */
export interface ChartMember {
  el: HTMLElement;
  instance: ChartInstance;
  zoomTo(window: TimeWindow): void;
}

/** The charts of each group (the charts of one page, sharing the time axis). */
const groups = new Map<string, Set<ChartMember>>();

/** Moves every chart of `group` but `source` (if given) to `window` (visible charts at once, the others as they scroll into view). */
export function zoomGroup(group: string, window: TimeWindow, source?: ChartMember): void {
  for (const member of groups.get(group) ?? []) if (member !== source) member.zoomTo(window);
}

/**
 * All charts of a group drawn into one PNG (data URL), stacked in page order; undefined when
 * the group has no chart. Charts still waiting to be drawn are drawn first.
 */
export function groupPng(group: string, backgroundColor: string): string | undefined {
  flushDraws();
  const members = [...(groups.get(group) ?? [])].sort((a, b) => a.el.getBoundingClientRect().top - b.el.getBoundingClientRect().top);
  if (members.length === 0) return undefined;
  const pixelRatio = 2;
  const canvases = members.map((m) => m.instance.renderToCanvas({ pixelRatio, backgroundColor }));
  const out = document.createElement('canvas');
  out.width = Math.max(...canvases.map((c) => c.width));
  out.height = canvases.reduce((h, c) => h + c.height, 0);
  const ctx = out.getContext('2d');
  if (!ctx) return undefined;
  ctx.fillStyle = backgroundColor;
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const c of canvases) {
    ctx.drawImage(c, 0, y);
    y += c.height;
  }
  return out.toDataURL('image/png');
}

/** Adds a chart to its group; returns the removal. */
export function joinGroup(group: string, member: ChartMember): () => void {
  const members = groups.get(group) ?? new Set<ChartMember>();
  members.add(member);
  groups.set(group, members);
  return () => {
    members.delete(member);
    if (members.size === 0) groups.delete(group);
  };
}
