import { useCallback, useMemo } from 'react';
import { navigate, useLocation } from '../router/router';
import { parseView, serializeView, type ViewProblem, type ViewState } from './viewState';

/** The view in the URL, its problems, and a setter that writes the URL (push for new views, replace for zoom and typing). */
export function useView(): {
  view: ViewState;
  problems: ViewProblem[];
  setView: (patch: Partial<ViewState>, options?: { replace?: boolean }) => void;
  pathname: string;
} {
  const { pathname, search } = useLocation();
  const { view, problems } = useMemo(() => parseView(search), [search]);
  const setView = useCallback(
    (patch: Partial<ViewState>, options: { replace?: boolean } = {}) => {
      const current = parseView(window.location.search).view;
      navigate(`${window.location.pathname}${serializeView({ ...current, ...patch })}`, options);
    },
    [],
  );
  return { view, problems, setView, pathname };
}
