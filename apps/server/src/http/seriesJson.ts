import type { MetricSeries, SeriesResponseV1 } from '@ipscope/api';

function numberText(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'null' : String(value);
}

function pointsJson(series: MetricSeries): string {
  if (series.kind === 'histogram') return JSON.stringify(series.points);
  const parts = new Array<string>(series.points.length);
  for (let i = 0; i < series.points.length; i++) {
    const [ts, value] = series.points[i]!;
    parts[i] = `[${numberText(ts)},${numberText(value)}]`;
  }
  return `[${parts.join(',')}]`;
}

/**
 * `JSON.stringify(body)` for a series response, byte for byte, written without building one
 * small array per point first: a 2 880-point series is the API's hottest answer, and this
 * takes about a third of the time. Non-finite numbers become `null`, as JSON.stringify does.
 */
export function seriesResponseJson(body: SeriesResponseV1): string {
  const series = body.series.map((s) => {
    const { points: _points, ...head } = s;
    const headJson = JSON.stringify(head);
    return `${headJson.slice(0, -1)}${headJson.length > 2 ? ',' : ''}"points":${pointsJson(s)}}`;
  });
  const { series: _series, ...envelope } = body;
  const envelopeJson = JSON.stringify(envelope);
  return `${envelopeJson.slice(0, -1)}${envelopeJson.length > 2 ? ',' : ''}"series":[${series.join(',')}]}`;
}
