import { useId, useState } from 'react';
import { ipFamily, ipOrCidrProblem } from '@ipscope/api';
import { navigate } from '../router/router';
import { ipPath } from '../router/routes';
import { addRecent, loadRecent, saveRecent } from '../state/recentSearches';
import { serializeView, type ViewState } from '../state/viewState';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Search by IP (opens its page) or CIDR (filters the overview's busiest IPs), validated as
 * the analyst types; the last searches are offered again.
 */
export function SearchBox({ view }: { view: ViewState }) {
  const id = useId();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [recent, setRecent] = useState<string[]>(() => {
    const s = storage();
    return s ? loadRecent(s) : [];
  });
  const value = text.trim();
  const problem = value === '' ? undefined : ipOrCidrProblem(value);
  const showProblem = touched && problem !== undefined;

  const submit = () => {
    setTouched(true);
    if (value === '' || problem) return;
    const next = addRecent(recent, value);
    setRecent(next);
    const s = storage();
    if (s) saveRecent(s, next);
    setText('');
    setTouched(false);
    const shared = { range: view.range, interval: view.interval, live: view.live };
    if (ipFamily(value) !== 0) navigate(`${ipPath(value)}${serializeView({ ...shared, modes: {}, sort: '-value' })}`);
    else navigate(`/${serializeView({ ...view, zoom: undefined, metrics: undefined, modes: {}, cidr: value })}`);
  };

  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-q`} className="visually-hidden">
        Search an IP address or CIDR block
      </label>
      <input
        id={`${id}-q`}
        type="search"
        value={text}
        placeholder="IP or CIDR, e.g. 10.1.2.3 or 2001:db8::/32"
        autoComplete="off"
        spellCheck={false}
        list={`${id}-recent`}
        aria-invalid={showProblem}
        aria-describedby={`${id}-problem`}
        data-testid="search-input"
        onChange={(e) => {
          setText(e.target.value);
          setTouched(e.target.value.trim() !== '');
        }}
      />
      <datalist id={`${id}-recent`} data-testid="recent-searches">
        {recent.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <button type="submit" disabled={value === '' || problem !== undefined}>
        Go
      </button>
      <span id={`${id}-problem`} className="field-problem" role="status" aria-live="polite" data-testid="search-problem">
        {showProblem ? problem : ''}
      </span>
    </form>
  );
}
