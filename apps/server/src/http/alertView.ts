import type { Alert } from '@ipscope/api';
import type { Alert as StoredAlert } from '@ipscope/detect';

/** The API's view of a stored alert: `ip` for the entity, workflow status spelled out, times in unix seconds. */
export function toApiAlert(a: StoredAlert): Alert {
  const action = (x: StoredAlert['acknowledged']) => (x ? { by: x.by, at: Math.floor(x.at / 1000) } : null);
  return {
    id: a.id,
    ip: a.entity,
    metric: a.metric,
    severity: a.severity,
    state: a.state,
    status: a.resolved ? 'resolved' : a.acknowledged ? 'acknowledged' : 'new',
    start: a.start,
    end: a.end,
    lastTs: a.lastTs,
    score: a.score,
    peakScore: a.peakScore,
    view: a.view,
    direction: a.direction,
    expected: a.expected,
    observed: a.observed,
    lower: a.lower,
    upper: a.upper,
    explanation: a.explanation,
    acknowledged: action(a.acknowledged),
    resolved: action(a.resolved),
  };
}
