import { z } from 'zod';
import { apiError, ipParam } from './common';
import { catalogResponse } from './catalog';
import { topEntitiesQuery, topEntitiesResponse, totalsQuery, totalsResponse } from './top';
import { exportQuery, seriesQuery, seriesResponse } from './series';
import { summaryQuery, summaryResponse } from './summary';
import { alertActionBody, alertActionResponse, alertId, alertsQuery, alertsResponse } from './alerts';
import { healthResponse, loginBody, sessionResponse } from './session';

/** One response an endpoint can give. `schema` is absent for bodies that are not JSON. */
export interface EndpointResponse {
  status: number;
  description: string;
  contentType: string;
  schema?: z.ZodType;
}

/**
 * One HTTP endpoint of the API: the single description that the server validates with and
 * that `/api/openapi.json` is generated from.
 */
export interface Endpoint {
  /** Stable identifier (OpenAPI operationId). */
  id: string;
  method: 'get' | 'post' | 'delete';
  /** Express-style path: `/api/ips/:ip/series`. */
  path: string;
  summary: string;
  description?: string;
  /** False for the few routes open without a token. */
  auth: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: EndpointResponse[];
}

const json = (status: number, description: string, schema: z.ZodType): EndpointResponse => ({ status, description, contentType: 'application/json', schema });
const ipPath = z.strictObject({ ip: ipParam });
const alertPath = z.strictObject({ id: alertId });
const errors = [
  json(400, 'A parameter is invalid; `error.parameter` names it', apiError),
  json(401, 'An access token is required', apiError),
  json(429, 'Too many requests from this client', apiError),
];

/** Every endpoint of the API, in the order the OpenAPI document lists them. */
export const endpoints: readonly Endpoint[] = [
  {
    id: 'getCatalog',
    method: 'get',
    path: '/api/metrics',
    summary: 'Metric catalog',
    description: 'Every metric (name, type, unit, description, intervals) and every interval (step, steps).',
    auth: true,
    responses: [json(200, 'The catalog', catalogResponse), ...errors],
  },
  {
    id: 'getTopEntities',
    method: 'get',
    path: '/api/entities/top',
    summary: 'Busiest IPs by a metric',
    description: 'Entities ranked by the total of a metric over a range, with sparklines; optional CIDR filter (IPv4 or IPv6).',
    auth: true,
    query: topEntitiesQuery,
    responses: [json(200, 'Ranked entities', topEntitiesResponse), ...errors],
  },
  {
    id: 'getTotals',
    method: 'get',
    path: '/api/totals',
    summary: 'Totals of every count metric over all IPs',
    auth: true,
    query: totalsQuery,
    responses: [json(200, 'Totals per metric', totalsResponse), ...errors],
  },
  {
    id: 'getSeries',
    method: 'get',
    path: '/api/ips/:ip/series',
    summary: 'Time series of one IP',
    description: 'One or several metrics on one time axis; histograms as bucket → {value: count}; downsampled to at most maxPoints points.',
    auth: true,
    params: ipPath,
    query: seriesQuery,
    responses: [json(200, 'The series', seriesResponse), ...errors],
  },
  {
    id: 'getSummary',
    method: 'get',
    path: '/api/ips/:ip/summary',
    summary: 'Summary of one IP',
    description: 'First and last seen, totals per metric over the range, top peers both directions, recent alerts.',
    auth: true,
    params: ipPath,
    query: summaryQuery,
    responses: [json(200, 'The summary', summaryResponse), ...errors],
  },
  {
    id: 'exportCsv',
    method: 'get',
    path: '/api/ips/:ip/export.csv',
    summary: 'Export series as CSV',
    description: 'Header row, ISO-8601 UTC timestamps, one column per metric or histogram value; loads with pandas.read_csv(url, index_col=0, parse_dates=True).',
    auth: true,
    params: ipPath,
    query: exportQuery,
    responses: [{ status: 200, description: 'CSV', contentType: 'text/csv' }, ...errors],
  },
  {
    id: 'exportJson',
    method: 'get',
    path: '/api/ips/:ip/export.json',
    summary: 'Export series as JSON',
    auth: true,
    params: ipPath,
    query: exportQuery,
    responses: [json(200, 'The series, full resolution by default', seriesResponse), ...errors],
  },
  {
    id: 'listAlerts',
    method: 'get',
    path: '/api/alerts',
    summary: 'Alerts, newest first',
    auth: true,
    query: alertsQuery,
    responses: [json(200, 'Alerts', alertsResponse), ...errors],
  },
  {
    id: 'acknowledgeAlert',
    method: 'post',
    path: '/api/alerts/:id/acknowledge',
    summary: 'Acknowledge an alert',
    auth: true,
    params: alertPath,
    body: alertActionBody,
    responses: [json(200, 'The updated alert', alertActionResponse), json(404, 'No such alert', apiError), ...errors],
  },
  {
    id: 'resolveAlert',
    method: 'post',
    path: '/api/alerts/:id/resolve',
    summary: 'Resolve an alert',
    auth: true,
    params: alertPath,
    body: alertActionBody,
    responses: [json(200, 'The updated alert', alertActionResponse), json(404, 'No such alert', apiError), ...errors],
  },
  {
    id: 'stream',
    method: 'get',
    path: '/api/stream',
    summary: 'Live updates (Server-Sent Events)',
    description:
      'Events `bucket` (every bucket up to `ts` is closed), `alert` (an alert opened, changed, was acknowledged or resolved) and `heartbeat`; 503 when the cap on concurrent streams is reached. Events are not replayed after a reconnect: refetch what is on screen when the stream reopens.',
    auth: true,
    responses: [{ status: 200, description: 'An event stream', contentType: 'text/event-stream' }, json(503, 'Too many open streams', apiError), ...errors],
  },
  {
    id: 'getSession',
    method: 'get',
    path: '/api/session',
    summary: 'Whether a token is required and whether this request carries one',
    auth: false,
    responses: [json(200, 'Session state', sessionResponse)],
  },
  {
    id: 'login',
    method: 'post',
    path: '/api/session',
    summary: 'Log in with the access token; sets an HttpOnly, SameSite=Lax session cookie',
    description: 'JSON `{token}` answers the session state (401 for a wrong token). The `/login` form posts `token` and `next` form-encoded instead and is redirected (303) to `next` or back to the form.',
    auth: false,
    body: loginBody,
    responses: [json(200, 'Logged in', sessionResponse), ...errors],
  },
  {
    id: 'logout',
    method: 'delete',
    path: '/api/session',
    summary: 'Log out: clears the session cookie',
    auth: false,
    responses: [json(200, 'Logged out', sessionResponse)],
  },
  {
    id: 'loginPage',
    method: 'get',
    path: '/login',
    summary: 'Log-in form for browsers (no script needed); pages of the web app redirect here without a session',
    auth: false,
    responses: [{ status: 200, description: 'HTML form', contentType: 'text/html' }],
  },
  {
    id: 'getOpenApi',
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    auth: false,
    responses: [{ status: 200, description: 'OpenAPI 3.1', contentType: 'application/json' }],
  },
  {
    id: 'health',
    method: 'get',
    path: '/healthz',
    summary: 'Redis and Kafka reachable',
    auth: false,
    responses: [json(200, 'Both reachable', healthResponse), json(503, 'One is unreachable', healthResponse)],
  },
  {
    id: 'prometheus',
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    auth: true,
    responses: [{ status: 200, description: 'Prometheus text format', contentType: 'text/plain; version=0.0.4' }, json(401, 'An access token is required', apiError)],
  },
];
