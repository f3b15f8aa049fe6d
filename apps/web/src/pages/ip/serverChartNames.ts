/*
 * Names the server and the page share for the charts the server draws into an IP page's HTML
 * (kept apart from the option builders, so the entry and the app shell can use them without
 * loading any chart code).
 */
/** Id of the element holding the server's drawings of the landing IP page's charts (outside the app's root). */
export const SERVER_CHARTS_ELEMENT_ID = 'ipscope-server-charts';
/** Cookie the page keeps its theme in when it is not the default (dark), so the server draws in it. */
export const THEME_COOKIE = 'ipscope-theme';
/** Cookie the page keeps its charts' width in (CSS pixels) when it is not `DEFAULT_CHART_WIDTH`. */
export const CHART_WIDTH_COOKIE = 'ipscope-chart-width';
/** The charts' width in a 1280-pixel-wide window (the benchmark's and a common laptop's). */
export const DEFAULT_CHART_WIDTH = 1243;
/**
 * The inline script after the last server-drawn chart (allowed by its hash in the page's
 * script policy): marks when the charts are parsed, and after the next frame, the one that
 * paints them, marks them painted (`ipscope:server-charts-painted`, on the navigation clock).
 */
export const CHARTS_PAINTED_SCRIPT =
  "performance.mark('ipscope:server-charts-parsed');requestAnimationFrame(function(){setTimeout(function(){performance.mark('ipscope:server-charts-painted')},0)})";
