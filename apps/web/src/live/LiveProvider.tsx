import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../api/queries';

/** Where the live connection stands, for the indicator in the header. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'paused';

interface LiveState {
  status: LiveStatus;
  /** Unix seconds that relative ranges end at. Moves forward with the event stream while live; frozen while paused. */
  now: number;
  /** Unix seconds of the last event from the server, if any. */
  lastEvent: number | undefined;
}

const LiveContext = createContext<LiveState>({ status: 'paused', now: Math.floor(Date.now() / 1000), lastEvent: undefined });

/** The live state: `now` for relative ranges and the stream's status. */
export function useLive(): LiveState {
  return useContext(LiveContext);
}

/** Refreshes at most this often however many buckets close at once (every metric closes a bucket each minute). */
const REFRESH_MS = 2000;

/**
 * Subscribes to the server's event stream while `enabled`: a closed bucket, a changed
 * alert or a heartbeat refreshes every data query (throttled); a closed bucket also moves
 * `now` forward, so relative ranges slide. Pausing closes the stream and freezes `now`, so the analyst can read a
 * view without it moving under them. EventSource reconnects by itself after errors.
 */
export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>(enabled ? 'connecting' : 'paused');
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const [lastEvent, setLastEvent] = useState<number | undefined>(undefined);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!enabled) {
      setStatus('paused');
      return undefined;
    }
    setStatus('connecting');
    setNow(Math.floor(Date.now() / 1000));
    const source = new EventSource('/api/stream');
    let moveClock = false;
    const refresh = (closedBucket: boolean) => {
      setLastEvent(Math.floor(Date.now() / 1000));
      moveClock ||= closedBucket;
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = undefined;
        if (moveClock) setNow(Math.floor(Date.now() / 1000));
        moveClock = false;
        void queryClient.invalidateQueries({ queryKey: keys.data });
      }, REFRESH_MS);
    };
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'paused' : 'reconnecting');
    source.addEventListener('bucket', () => refresh(true));
    source.addEventListener('alert', () => refresh(false));
    // Data can also arrive without closing a bucket (a backlog or backfill filling older minutes): the
    // heartbeat refetches too. Unchanged answers keep their identity (structural sharing), so nothing redraws.
    source.addEventListener('heartbeat', () => refresh(false));
    // Without events (no traffic), the clock still moves so "last hour" keeps meaning the last hour.
    const tick = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 60_000);
    return () => {
      source.close();
      clearInterval(tick);
      if (pending.current) clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [enabled, queryClient]);

  const value = useMemo(() => ({ status: enabled ? status : 'paused', now, lastEvent }), [enabled, status, now, lastEvent]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
