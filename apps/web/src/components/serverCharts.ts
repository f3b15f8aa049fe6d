import type { ChartTheme } from '@ipscope/charts';
import { CHART_WIDTH_COOKIE, DEFAULT_CHART_WIDTH, SERVER_CHARTS_ELEMENT_ID, THEME_COOKIE } from '../pages/ip/serverChartNames';

/*
 * The server draws the landing IP page's charts into its HTML (`#ipscope-server-charts`, after
 * the app's root), so they paint before any script runs. Each chart of the page takes its
 * drawing over when it mounts, if the drawing is of the same chart (key), theme, window and
 * width, and shows it until its own ECharts instance has drawn; what no chart takes is
 * discarded once the page has its charts.
 */

/** What the server drew the charts for, or undefined when the page has no server-drawn charts. */
function serverBlock(): HTMLElement | undefined {
  return document.getElementById(SERVER_CHARTS_ELEMENT_ID) ?? undefined;
}

/**
 * Takes the server's drawing of the chart `key` out of the server's block, if it was drawn
 * for this theme, window (`from-to`) and width: the `<svg>` element, for the chart to show
 * until it has drawn itself. Undefined otherwise (the chart draws as if there were none).
 */
export function takeServerChart(key: string, theme: ChartTheme, window: string, width: number): SVGSVGElement | undefined {
  const block = serverBlock();
  if (!block || block.dataset.theme !== theme || block.dataset.window !== window || Number(block.dataset.width) !== width) return undefined;
  for (const figure of Array.from(block.children)) {
    if (!(figure instanceof HTMLElement) || figure.dataset.chart !== key) continue;
    const svg = figure.querySelector('svg');
    figure.remove();
    return svg ?? undefined;
  }
  return undefined;
}

/** Removes whatever the server drew that no chart has taken. */
export function discardServerCharts(): void {
  serverBlock()?.remove();
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function writeCookie(name: string, value: string | undefined): void {
  document.cookie = value === undefined ? `${name}=; path=/; max-age=0; samesite=lax` : `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * Tells the server the width the charts are laid out at (a cookie), so its next drawing fits.
 * Written only when it changes, and not at all for the default width: a cookie written while
 * a page's requests are out would give them other credentials than the ones read ahead for.
 */
export function rememberChartWidth(width: number): void {
  if (!(width > 0)) return;
  const wanted = width === DEFAULT_CHART_WIDTH ? undefined : String(Math.round(width));
  if (readCookie(CHART_WIDTH_COOKIE) !== wanted) writeCookie(CHART_WIDTH_COOKIE, wanted);
}

/** Tells the server the page's theme (a cookie, only for the light one; dark is the default). */
export function rememberTheme(theme: ChartTheme): void {
  const wanted = theme === 'dark' ? undefined : theme;
  if (readCookie(THEME_COOKIE) !== wanted) writeCookie(THEME_COOKIE, wanted);
}
