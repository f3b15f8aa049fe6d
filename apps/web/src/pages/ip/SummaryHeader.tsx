import type { MetricInfo, SummaryResponse } from '@ipscope/api';
import { formatCompact, formatExact, formatUtc } from '@ipscope/charts';
import { AlertActions } from './AlertActions';

/** First/last seen, totals over the visible window, open alerts, and the alert actions. */
export function SummaryHeader({ summary, info, refreshing }: { summary: SummaryResponse; info: ReadonlyMap<string, MetricInfo>; refreshing: boolean }) {
  const open = summary.alerts.filter((a) => a.status !== 'resolved').length;
  // Metrics of the other role are zero for most IPs (a server originates little); listing them hides what matters.
  const all = Object.entries(summary.totals);
  const totals = all.filter(([, value]) => value !== 0);
  const zero = all.length - totals.length;
  return (
    <section className={`panel summary${refreshing ? ' refreshing' : ''}`} aria-labelledby="summary-heading" data-testid="ip-summary">
      <h2 id="summary-heading" className="visually-hidden">
        Summary
      </h2>
      <dl className="facts">
        <div>
          <dt>First seen</dt>
          <dd data-testid="first-seen">{summary.firstSeen === null ? 'never' : formatUtc(summary.firstSeen)}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd data-testid="last-seen">{summary.lastSeen === null ? 'never' : formatUtc(summary.lastSeen)}</dd>
        </div>
        <div>
          <dt>Unresolved alerts</dt>
          <dd data-testid="open-alerts" className={open > 0 ? 'alarm' : undefined}>
            {open}
          </dd>
        </div>
      </dl>
      {totals.length > 0 && (
        <dl className="totals compact" data-testid="ip-totals">
          {totals.map(([metric, value]) => (
            <div key={metric} className="total" title={info.get(metric)?.description ?? metric} data-testid={`ip-total-${metric}`} data-value={value}>
              <dt>{metric}</dt>
              <dd aria-label={formatExact(value)}>{formatCompact(value, info.get(metric)?.unit ?? '')}</dd>
            </div>
          ))}
        </dl>
      )}
      {zero > 0 && (
        <p className="muted small" data-testid="zero-totals">
          {totals.length === 0 ? 'No metric has data in this window.' : `${zero} other metric${zero === 1 ? ' has' : 's have'} no data in this window.`}
        </p>
      )}
      <AlertActions alerts={summary.alerts} />
    </section>
  );
}
