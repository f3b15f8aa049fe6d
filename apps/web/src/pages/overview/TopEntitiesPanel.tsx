import { useEffect, useId, useState } from 'react';
import { ipOrCidrProblem } from '@ipscope/api';
import { formatCompact, formatExact } from '@ipscope/charts';
import type { MetricInfo } from '@ipscope/api';
import type { RangeQuery } from '../../api/client';
import { useTop } from '../../api/queries';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { Sparkline } from '../../components/Sparkline';
import { Link } from '../../router/Link';
import { ipPath } from '../../router/routes';
import type { SortKey, ViewState } from '../../state/viewState';
import { sortEntities } from './sortEntities';

const LIMIT = 25;

function SortButton({ label, column, sort, onSort }: { label: string; column: 'ip' | 'value'; sort: SortKey; onSort: (s: SortKey) => void }) {
  const active = sort === column || sort === `-${column}`;
  const descending = sort === `-${column}`;
  return (
    <button type="button" className="sort" onClick={() => onSort(active && descending ? column : (`-${column}` as SortKey))} data-testid={`sort-${column}`}>
      {label} <span aria-hidden="true">{active ? (descending ? '▼' : '▲') : '↕'}</span>
    </button>
  );
}

/** The busiest IPs by any metric, with sparklines; sortable, filterable by CIDR; each row opens the IP's page. */
export function TopEntitiesPanel({
  q,
  view,
  metrics,
  metric,
  rangeText,
  linkSearch,
  setView,
}: {
  q: RangeQuery;
  view: ViewState;
  metrics: readonly MetricInfo[];
  metric: string | undefined;
  rangeText: string;
  linkSearch: string;
  setView: (patch: Partial<ViewState>, options?: { replace?: boolean }) => void;
}) {
  const id = useId();
  const [cidrText, setCidrText] = useState(view.cidr ?? '');
  useEffect(() => setCidrText(view.cidr ?? ''), [view.cidr]);
  const cidrProblem = cidrText.trim() === '' ? undefined : ipOrCidrProblem(cidrText);
  const top = useTop(metric ? { ...q, metric, limit: LIMIT, cidr: view.cidr, sparkPoints: 30 } : undefined);
  const info = metrics.find((m) => m.name === metric);
  const unit = info?.unit ?? '';

  return (
    <section className="panel" aria-labelledby="top-heading">
      <div className="panel-head">
        <h2 id="top-heading">Busiest IPs</h2>
        <label>
          by{' '}
          <select value={metric ?? ''} onChange={(e) => setView({ metric: e.target.value })} data-testid="top-metric">
            {metrics.map((m) => (
              <option key={m.name} value={m.name} title={m.description}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <form
          className="cidr-filter"
          onSubmit={(e) => {
            e.preventDefault();
            if (!cidrProblem) setView({ cidr: cidrText.trim() || undefined });
          }}
        >
          <label htmlFor={`${id}-cidr`}>in</label>
          <input
            id={`${id}-cidr`}
            value={cidrText}
            placeholder="CIDR, e.g. 10.0.0.0/8"
            onChange={(e) => setCidrText(e.target.value)}
            aria-invalid={cidrProblem !== undefined}
            aria-describedby={`${id}-cidr-problem`}
            data-testid="cidr-input"
            spellCheck={false}
          />
          <button type="submit" disabled={cidrProblem !== undefined}>
            Filter
          </button>
          {view.cidr && (
            <button type="button" onClick={() => setView({ cidr: undefined })}>
              Clear
            </button>
          )}
          <span id={`${id}-cidr-problem`} className="field-problem" aria-live="polite" data-testid="cidr-problem">
            {cidrProblem}
          </span>
        </form>
      </div>
      {!metric || top.isPending ? (
        <Skeleton label="Loading the busiest IPs" lines={8} />
      ) : top.isError ? (
        <ErrorState what="the busiest IPs" error={top.error} onRetry={() => void top.refetch()} />
      ) : top.data.items.length === 0 ? (
        <EmptyState title={view.cidr ? `No IP in ${view.cidr} has ${metric} in ${rangeText.toLowerCase()}.` : `No IP has ${metric} in ${rangeText.toLowerCase()}.`} testId="top-empty">
          {view.cidr ? 'Widen the CIDR block or the range.' : 'Nothing has been ingested for this range yet. Is traffic flowing into Kafka?'}
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table
            data-testid="top-table"
            className={top.isPlaceholderData ? 'refreshing' : undefined}
            aria-busy={top.isPlaceholderData}
            data-metric={top.data.metric}
            data-cidr={top.data.cidr ?? ''}
          >
            <caption className="visually-hidden">
              Busiest IPs by {metric} ({unit}), {rangeText}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col" aria-sort={view.sort === 'ip' ? 'ascending' : view.sort === '-ip' ? 'descending' : 'none'}>
                  <SortButton label="IP" column="ip" sort={view.sort} onSort={(sort) => setView({ sort }, { replace: true })} />
                </th>
                <th scope="col" className="num" aria-sort={view.sort === 'value' ? 'ascending' : view.sort === '-value' ? 'descending' : 'none'}>
                  <SortButton label={unit || 'value'} column="value" sort={view.sort} onSort={(sort) => setView({ sort }, { replace: true })} />
                </th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {sortEntities(top.data.items, view.sort).map((item, i) => (
                <tr key={item.ip} data-testid="top-row" data-ip={item.ip} data-value={item.value}>
                  <td className="num muted">{i + 1}</td>
                  <td>
                    <Link to={`${ipPath(item.ip)}${linkSearch}`}>{item.ip}</Link>
                  </td>
                  <td className="num" title={`${formatExact(item.value)} ${unit}`}>
                    {formatExact(item.value)}
                  </td>
                  <td className="spark">
                    <Sparkline values={item.sparkline} label={`${metric} trend of ${item.ip}, peak ${formatCompact(Math.max(0, ...item.sparkline.map((v) => v ?? 0)), unit)}`} />
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
