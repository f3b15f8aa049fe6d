/**
 * What the server needs to know about the web app, in one place: the routes it serves
 * `index.html` for, the names of the HTML hooks the page reads (the embedded catalog and the
 * IP page's chunk list), and the exact requests an IP page makes first (which the server
 * reads ahead). The server imports this as `@ipscope/web/serverContract`, so the page and the
 * server share one definition instead of two that can drift apart.
 */
export { matchRoute } from './src/router/routes';
export { CATALOG_ELEMENT_ID } from './src/api/embeddedCatalog';
export { landingRequests } from './src/api/landingRequests';
export { IP_PAGE_CHUNKS_META } from './routePreloads';
export { landingCharts, landingChartRequests } from './src/pages/ip/landingCharts';
export { SERVER_CHARTS_ELEMENT_ID, THEME_COOKIE, CHART_WIDTH_COOKIE, DEFAULT_CHART_WIDTH, CHARTS_PAINTED_SCRIPT } from './src/pages/ip/serverChartNames';
export type { LandingCharts, LandingChart, LandingChartRequests } from './src/pages/ip/landingCharts';
