import { formatExact, formatUtc } from '@ipscope/charts';
import type { RangeQuery } from '../../api/client';
import { useAlerts } from '../../api/queries';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { SeverityBadge, StatusBadge } from '../../components/SeverityBadge';
import { Skeleton } from '../../components/Skeleton';
import { Link } from '../../router/Link';
import { ipPath } from '../../router/routes';

/** Alerts in the range, newest first: when, how severe, which IP and metric, expected against observed. */
export function AlertFeed({ q, rangeText, linkSearch }: { q: RangeQuery; rangeText: string; linkSearch: string }) {
  const alerts = useAlerts({ from: q.from, to: q.to, limit: 50 });
  return (
    <section className="panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts</h2>
      {alerts.isPending ? (
        <Skeleton label="Loading alerts" lines={5} />
      ) : alerts.isError ? (
        <ErrorState what="the alerts" error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.items.length === 0 ? (
        <EmptyState title={`No alerts in ${rangeText.toLowerCase()}.`} testId="alerts-empty">
          The detector raises an alert when an IP's metric leaves its usual range.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table data-testid="alert-feed" className={alerts.isPlaceholderData ? 'refreshing' : undefined}>
            <thead>
              <tr>
                <th scope="col">Since (UTC)</th>
                <th scope="col">Severity</th>
                <th scope="col">IP</th>
                <th scope="col">Metric</th>
                <th scope="col" className="num" title="Expected against observed, in the metric's unit">
                  Expected → seen
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {[...alerts.data.items]
                .sort((a, b) => b.start - a.start)
                .map((a) => (
                  <tr key={a.id} data-testid="alert-feed-row" data-alert-id={a.id}>
                    <td title={formatUtc(a.start)}>{formatUtc(a.start).slice(5, 16)}</td>
                    <td>
                      <SeverityBadge severity={a.severity} />
                    </td>
                    <td>
                      <Link to={`${ipPath(a.ip)}${linkSearch}`}>{a.ip}</Link>
                    </td>
                    <td title={a.explanation}>{a.metric}</td>
                    <td className="num">
                      {formatExact(a.expected)} → <strong>{formatExact(a.observed)}</strong>
                    </td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
