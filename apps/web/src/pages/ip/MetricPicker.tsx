import type { MetricInfo } from '@ipscope/api';
import { MAX_METRICS } from './defaultMetrics';

/** Which metrics are charted; all by default. */
export function MetricPicker({ all, selected, onChange }: { all: readonly MetricInfo[]; selected: readonly string[]; onChange: (metrics: string[] | undefined) => void }) {
  if (all.length === 0) return null;
  const chosen = new Set(selected);
  const toggle = (name: string) => {
    const next = all.map((m) => m.name).filter((n) => (n === name ? !chosen.has(n) : chosen.has(n)));
    onChange(next.length === all.length || next.length === 0 ? undefined : next.slice(0, MAX_METRICS));
  };
  return (
    <details className="metric-picker">
      <summary>
        Metrics ({selected.length} of {all.length})
      </summary>
      <fieldset>
        <legend className="visually-hidden">Metrics to chart</legend>
        {all.map((m) => (
          <label key={m.name} title={m.description}>
            <input type="checkbox" checked={chosen.has(m.name)} onChange={() => toggle(m.name)} /> {m.name} <span className="muted">({m.type})</span>
          </label>
        ))}
      </fieldset>
    </details>
  );
}
