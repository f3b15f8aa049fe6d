import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Alert } from '@ipscope/api';
import { formatExact, formatUtc } from '@ipscope/charts';
import { actOnAlert } from '../../api/client';
import { keys } from '../../api/queries';
import { SeverityBadge, StatusBadge } from '../../components/SeverityBadge';

const NAME_KEY = 'ipscope.analyst';

function savedName(): string {
  try {
    return window.localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The IP's alerts with acknowledge/resolve buttons; the analyst's name is asked once and remembered. */
export function AlertActions({ alerts }: { alerts: readonly Alert[] }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(savedName);
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'acknowledge' | 'resolve' }) => actOnAlert(id, action, name.trim()),
    onSuccess: () => {
      try {
        window.localStorage.setItem(NAME_KEY, name.trim());
      } catch {
        // Only the convenience of not typing the name again is lost.
      }
      return queryClient.invalidateQueries({ queryKey: keys.data });
    },
  });
  if (alerts.length === 0) return <p className="muted" data-testid="no-alerts">No alerts for this IP in the range.</p>;
  const nameMissing = name.trim() === '';
  return (
    <div className="alert-actions">
      <label className="acting-as">
        Acting as{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="your name" maxLength={100} data-testid="analyst-name" aria-describedby="acting-as-hint" />
        <span id="acting-as-hint" className="muted">
          {nameMissing ? ' enter your name to acknowledge or resolve' : ''}
        </span>
      </label>
      {act.isError && (
        <p className="field-problem" role="alert">
          Could not update the alert: {act.error.message}
        </p>
      )}
      <ul className="alert-list">
        {alerts.map((a) => (
          <li key={a.id} data-testid="alert-row" data-alert-id={a.id} data-status={a.status}>
            <SeverityBadge severity={a.severity} /> <strong>{a.metric}</strong> since {formatUtc(a.start)}
            {a.end !== null && <> until {formatUtc(a.end)}</>}: expected {formatExact(a.expected)} (usual {formatExact(a.lower)}–{formatExact(a.upper)}), observed <strong>{formatExact(a.observed)}</strong>{' '}
            <StatusBadge status={a.status} /> <span className="muted">({a.state === 'active' ? 'still anomalous' : 'ended'})</span>
            <div className="muted">{a.explanation}</div>
            {a.acknowledged && (
              <div className="muted" data-testid="acknowledged-by">
                Acknowledged by {a.acknowledged.by} at {formatUtc(a.acknowledged.at)}
              </div>
            )}
            {a.resolved && (
              <div className="muted" data-testid="resolved-by">
                Resolved by {a.resolved.by} at {formatUtc(a.resolved.at)}
              </div>
            )}
            <div className="actions">
              {a.status === 'new' && (
                <button type="button" disabled={nameMissing || act.isPending} onClick={() => act.mutate({ id: a.id, action: 'acknowledge' })}>
                  Acknowledge
                </button>
              )}
              {a.status !== 'resolved' && (
                <button type="button" disabled={nameMissing || act.isPending} onClick={() => act.mutate({ id: a.id, action: 'resolve' })}>
                  Resolve
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
