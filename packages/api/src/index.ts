export { ipFamily, isIpv4, isIpv6, ipOrCidrProblem } from './ip';
export { parseCidr, cidrContains, formatCidr, formatIpBytes, ipBytes, CidrSyntaxError } from './cidr';
export type { Cidr } from './cidr';
export {
  ipParam,
  cidrParam,
  metricName,
  intervalName,
  timeParam,
  parseTime,
  limitParam,
  metricList,
  metricType,
  apiError,
  quoteInput,
} from './common';
export type { MetricType, ApiErrorBody } from './common';
export { catalogResponse, metricInfo, intervalInfo } from './catalog';
export type { CatalogResponse, MetricInfo, IntervalInfo } from './catalog';
export { topEntitiesQuery, topEntitiesResponse, totalsQuery, totalsResponse } from './top';
export type { TopEntitiesQuery, TopEntitiesResponse, TotalsQuery, TotalsResponse } from './top';
export {
  seriesQuery as ipSeriesQuery,
  seriesResponse as ipSeriesResponse,
  metricSeries,
  numberPoint,
  histogramPoint,
  aggregation,
  downsampling,
  exportQuery,
} from './series';
export type { SeriesQueryInput, SeriesQueryParsed, SeriesResponseV1, MetricSeries, Downsampling, ExportQueryInput } from './series';
export { summaryQuery, summaryResponse, peer } from './summary';
export type { SummaryQuery, SummaryResponse, Peer } from './summary';
export {
  alert,
  alertId,
  alertsQuery,
  alertsResponse,
  alertActionBody,
  alertActionResponse,
  severity,
  alertStatus,
  alertState,
  alertAction,
  bucketEvent,
  alertEvent,
  heartbeatEvent,
} from './alerts';
export type { Alert, AlertsQuery, AlertsResponse, AlertActionBody, AlertActionResponse, BucketEvent, AlertEvent, HeartbeatEvent } from './alerts';
export { loginBody, sessionResponse, healthResponse } from './session';
export type { LoginBody, SessionResponse, HealthResponse } from './session';
export { aggregationOf, bucketCount, planDownsampling } from './downsample';
export type { Aggregation, DownsamplePlan } from './downsample';
export { seriesToCsv, isoSeconds } from './csv';
export { parseCsv, CsvParseError } from './csvParse';
export { endpoints } from './endpoints';
export type { Endpoint, EndpointResponse } from './endpoints';
export { buildOpenApi } from './openapi';
export type { OpenApiOptions } from './openapi';
