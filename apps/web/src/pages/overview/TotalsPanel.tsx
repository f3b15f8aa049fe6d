import { formatCompact, formatExact } from '@ipscope/charts';
import type { RangeQuery } from '../../api/client';
import { useMetricInfo, useTotals } from '../../api/queries';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';

/** Every metric summed over all IPs for the range. */
export function TotalsPanel({ q, rangeText }: { q: RangeQuery; rangeText: string }) {
  const totals = useTotals(q);
  const info = useMetricInfo();
  if (totals.isPending) return <Skeleton label="Loading totals" height={72} />;
  if (totals.isError) return <ErrorState what="the totals" error={totals.error} onRetry={() => void totals.refetch()} />;
  const entries = Object.entries(totals.data.totals);
  const order = [...info.keys()];
  entries.sort(([a], [b]) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999) || a.localeCompare(b));
  if (entries.length === 0 || entries.every(([, v]) => v === 0)) {
    return (
      <EmptyState title={`No events in ${rangeText.toLowerCase()}.`} testId="totals-empty">
        Nothing has been ingested for this range. Check that traffic reaches the Kafka topic, or pick a longer range.
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="totals-heading" className={totals.isPlaceholderData ? 'refreshing' : undefined}>
      <h2 id="totals-heading" className="visually-hidden">
        Totals
      </h2>
      <dl className="totals" data-testid="totals">
        {entries.map(([metric, value]) => {
          const m = info.get(metric);
          return (
            <div key={metric} className="total" title={m?.description ?? metric} data-testid={`total-${metric}`} data-value={value}>
              <dt>{metric}</dt>
              <dd>
                <span aria-label={`${formatExact(value)} ${m?.unit ?? ''}`}>{formatCompact(value, m?.unit ?? '')}</span>
                {m && !/byte/i.test(m.unit) && <span className="unit"> {m.unit}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
