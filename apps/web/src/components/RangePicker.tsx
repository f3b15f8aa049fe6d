import { useEffect, useId, useState } from 'react';
import type { IntervalInfo } from '@ipscope/api';
import { isoMinute, parseIsoMinute, PRESET_KEYS, PRESETS, type RangeSpec, type Window } from '../state/timeRange';

function formatSpan(seconds: number): string {
  return seconds % 604_800 === 0 ? `${seconds / 604_800} weeks` : seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${Math.round(seconds / 3600)} h`;
}

function intervalLabel(i: IntervalInfo): string {
  const step = i.step % 3600 === 0 ? `${i.step / 3600} h` : i.step % 60 === 0 ? `${i.step / 60} min` : `${i.step} s`;
  return `${i.name} (${step} steps)`;
}

/**
 * Range presets, a custom UTC range and the interval (automatic from the range unless
 * overridden). A custom range is checked before it is applied; the reason shows by the inputs.
 */
export function RangePicker({
  range,
  window,
  interval,
  autoInterval,
  intervals,
  onRange,
  onInterval,
}: {
  range: RangeSpec;
  window: Window;
  interval: string | undefined;
  autoInterval: string;
  intervals: readonly IntervalInfo[];
  onRange: (range: RangeSpec) => void;
  onInterval: (interval: string | undefined) => void;
}) {
  const id = useId();
  const [custom, setCustom] = useState(range.kind === 'custom');
  const [from, setFrom] = useState(isoMinute(window.from));
  const [to, setTo] = useState(isoMinute(window.to));
  useEffect(() => {
    setCustom(range.kind === 'custom');
    if (range.kind === 'custom') {
      setFrom(isoMinute(range.from));
      setTo(isoMinute(range.to));
    }
  }, [range]);

  const fromS = parseIsoMinute(from);
  const toS = parseIsoMinute(to);
  const problem = fromS === undefined ? 'Enter a start date and time' : toS === undefined ? 'Enter an end date and time' : fromS >= toS ? 'The start must be before the end' : undefined;

  return (
    <div className="range-picker" role="group" aria-label="Time range">
      <div className="segmented" role="radiogroup" aria-label="Range">
        {PRESET_KEYS.map((key) => (
          <button
            key={key}
            type="button"
            role="radio"
            aria-checked={range.kind === 'preset' && range.preset === key}
            title={PRESETS[key].label}
            data-testid={`range-${key}`}
            onClick={() => {
              setCustom(false);
              onRange({ kind: 'preset', preset: key });
            }}
          >
            {key}
          </button>
        ))}
        <button type="button" role="radio" aria-checked={custom} data-testid="range-custom" onClick={() => setCustom(true)}>
          custom
        </button>
      </div>
      {custom && (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem && fromS !== undefined && toS !== undefined) onRange({ kind: 'custom', from: fromS, to: toS });
          }}
        >
          <label>
            From (UTC) <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-describedby={`${id}-problem`} data-testid="custom-from" />
          </label>
          <label>
            To (UTC) <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-describedby={`${id}-problem`} data-testid="custom-to" />
          </label>
          <button type="submit" disabled={problem !== undefined}>
            Apply
          </button>
          <span id={`${id}-problem`} className="field-problem" aria-live="polite">
            {problem}
          </span>
        </form>
      )}
      <label className="interval">
        Interval{' '}
        <select value={interval ?? ''} onChange={(e) => onInterval(e.target.value || undefined)} data-testid="interval">
          <option value="">auto: {intervalLabel(intervals.find((i) => i.name === autoInterval) ?? { name: autoInterval, step: 60, steps: 0 })}</option>
          {intervals.map((i) => {
            // An interval keeps `steps` buckets: one that cannot hold the whole window is not offered.
            const keeps = i.step * i.steps >= window.to - window.from;
            return (
              <option key={i.name} value={i.name} disabled={!keeps}>
                {intervalLabel(i)}
                {keeps ? '' : ` (keeps ${formatSpan(i.step * i.steps)}, too short)`}
              </option>
            );
          })}
        </select>
      </label>
    </div>
  );
}
