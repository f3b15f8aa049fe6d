import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { fetchSeries } from '../api/skeletonClient';
import { seriesToLineOption } from '../charts/seriesOption';
import { SkeletonChart as EChart } from './SkeletonChart';

/** Connections per minute that one IP responded to, over the last hours. */
export function SeriesPanel({ ip }: { ip: string }) {
  const series = useQuery({ queryKey: ['series', ip], queryFn: () => fetchSeries(ip), refetchInterval: 10_000 });
  const option = useMemo(
    () => (series.data ? seriesToLineOption({ title: `Connections responded to by ${ip}`, unit: 'conn/min', points: series.data.points }) : undefined),
    [series.data, ip],
  );
  if (series.isPending) return <p className="muted">Loading {ip}…</p>;
  if (series.isError)
    return (
      <div className="error" role="alert">
        Could not load {ip}: {series.error.message} <button onClick={() => void series.refetch()}>Retry</button>
      </div>
    );
  const total = series.data.points.reduce((sum, [, v]) => sum + v, 0);
  return (
    <section data-testid="series-panel" data-ip={ip} data-total={total}>
      <h2>{ip}</h2>
      <p className="muted">
        {total.toLocaleString('en-US')} connections in the last {Math.round((series.data.points.length * series.data.step) / 3600)} h, per minute
      </p>
      {option && <EChart option={option} label={`Chart: connections responded to by ${ip} per minute`} testId="series-chart" />}
    </section>
  );
}
