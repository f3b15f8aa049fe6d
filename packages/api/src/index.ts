export { ipFamily, isIpv4, isIpv6, ipOrCidrProblem } from './ip';
export { ipParam, cidrParam, metricName, intervalName, timeParam, limitParam, metricList, metricType, apiError } from './common';
export type { MetricType, ApiErrorBody } from './common';
export { catalogResponse, metricInfo, intervalInfo } from './catalog';
export type { CatalogResponse, MetricInfo, IntervalInfo } from './catalog';
export { topEntitiesQuery, topEntitiesResponse, totalsResponse } from './top';
export type { TopEntitiesQuery, TopEntitiesResponse, TotalsResponse } from './top';
export { seriesQuery as ipSeriesQuery, seriesResponse as ipSeriesResponse, metricSeries, downsampling, exportQuery } from './series';
export type { SeriesQueryInput, SeriesResponseV1, MetricSeries } from './series';
export { summaryQuery, summaryResponse, peer } from './summary';
export type { SummaryResponse, Peer } from './summary';
export { alert, alertsQuery, alertsResponse, alertActionBody, severity, alertStatus, bucketEvent } from './alerts';
export type { Alert, AlertsResponse, BucketEvent } from './alerts';
// Walking-skeleton endpoints (GET /api/top, GET /api/ips/:ip/series without metrics).
export { topQuery, topResponse, seriesQuery, seriesResponse, errorResponse } from './schemas';
export type { TopQuery, TopResponse, SeriesQuery, SeriesResponse, ErrorResponse } from './schemas';
