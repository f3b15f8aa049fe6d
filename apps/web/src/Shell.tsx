import { Component, lazy, Suspense, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { prefetchLanding } from './api/prefetch';
import { HeaderControls } from './components/HeaderControls';
import { SearchBox } from './components/SearchBox';
import { Skeleton } from './components/Skeleton';
import { ViewProblems } from './components/ViewProblems';
import { LiveProvider, useLive } from './live/LiveProvider';
import { ipPageRoute } from './router/ipPageRoute';
import { Link } from './router/Link';
import { useLocation } from './router/router';
import { matchRoute } from './router/routes';
import { useView } from './state/useView';
import { ThemeProvider } from './theme/ThemeProvider';

// One chunk per route: the overview does not load ECharts, the IP page does.
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage'));
const IpPage = ipPageRoute.Page;
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** Last line of defence: a render error shows what happened and a way on, never a blank page. */
class PageErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('ipscope: page failed to render', error, info.componentStack);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state state-error" role="alert" data-testid="page-error">
        <strong>This page failed to draw.</strong> {this.state.error.message}{' '}
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>{' '}
        <Link to="/">Overview</Link>
      </div>
    );
  }
}

function Page() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'overview':
      return <OverviewPage />;
    case 'ip':
      return <IpPage key={route.ip} ip={route.ip} valid={route.valid} />;
    case 'notFound':
      return <NotFoundPage path={route.path} />;
  }
}

/**
 * Going to another page inside the app: its requests start now, while its code loads and runs
 * (on first load the entry has started them), on the live clock the page will use. Keyed on
 * the path only: a zoom or range change is the page's own.
 */
function PagePrefetch({ pathname }: { pathname: string }) {
  const queryClient = useQueryClient();
  const { now } = useLive();
  const clock = useRef(now);
  clock.current = now;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void prefetchLanding(queryClient, { pathname, search: globalThis.location.search }, { now: clock.current });
  }, [pathname, queryClient]);
  return null;
}

/** Header (home, search, live and theme controls), URL problems, and the current page. */
export function Shell() {
  const { view, problems, setView, pathname } = useView();

  return (
    <ThemeProvider>
      <LiveProvider enabled={view.live}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="app-header">
          <Link to="/" className="brand">
            ipscope
          </Link>
          <SearchBox view={view} />
          <HeaderControls live={view.live} onLive={(live) => setView({ live }, { replace: true })} />
        </header>
        <PagePrefetch pathname={pathname} />
        <main id="main" tabIndex={-1}>
          <ViewProblems problems={problems} />
          <PageErrorBoundary resetKey={pathname}>
            <Suspense fallback={<Skeleton label="Loading page" height={320} />}>
              <Page />
            </Suspense>
          </PageErrorBoundary>
        </main>
      </LiveProvider>
    </ThemeProvider>
  );
}
