import type { Alert } from '@ipscope/api';

export function SeverityBadge({ severity }: { severity: Alert['severity'] }) {
  return <span className={`badge badge-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: Alert['status'] }) {
  return <span className={`badge badge-status-${status}`}>{status}</span>;
}
