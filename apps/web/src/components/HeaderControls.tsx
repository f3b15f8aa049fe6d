import { useLive } from '../live/LiveProvider';
import { useTheme } from '../theme/ThemeProvider';
import { formatUtc } from '@ipscope/charts';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  paused: 'Paused',
} as const;

/** Live on/off with the stream's state, and the theme switch. */
export function HeaderControls({ live, onLive }: { live: boolean; onLive: (live: boolean) => void }) {
  const { status, lastEvent } = useLive();
  const { theme, toggle } = useTheme();
  return (
    <div className="header-controls">
      <span className={`live-dot live-${status}`} aria-hidden="true" />
      <span className="live-status" data-testid="live-status" title={lastEvent ? `Last event ${formatUtc(lastEvent)}` : undefined}>
        {STATUS_TEXT[status]}
      </span>
      <button type="button" aria-pressed={!live} onClick={() => onLive(!live)} data-testid="live-toggle">
        {live ? 'Pause' : 'Resume live'}
      </button>
      <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} data-testid="theme-toggle">
        {theme === 'dark' ? 'Light' : 'Dark'} theme
      </button>
    </div>
  );
}
