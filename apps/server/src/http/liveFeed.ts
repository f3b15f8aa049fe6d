import type { BucketEvent } from '@ipscope/api';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log';
import { toApiAlert } from './alertView';
import type { AlertSource } from './deps';
import type { SseHub } from './sseHub';

export interface LiveFeedOptions {
  /** The newest data time of the store (unix seconds), null when empty. */
  newest: () => Promise<number | null>;
  /** Intervals to report closed buckets of: name and bucket width. */
  intervals: ReadonlyArray<{ name: string; resolution: number }>;
  alerts: AlertSource;
  /** Id of the newest entry of the alert change stream ('0-0' when empty): the feed delivers what comes after. */
  lastAlertStreamId: () => Promise<string>;
  hub: SseHub;
  log: Logger;
  /** Milliseconds between checks of the newest data time (and alert polls without a blocking connection). Default 1 000. */
  pollMs?: number;
  /** Connection for blocking reads of the alert stream; without it the stream is polled every `pollMs`. */
  blockingConnection?: Redis | Cluster | undefined;
}

/**
 * Bucket events from the newest data time, one per interval whenever data enters a later bucket.
 * Pure, so the closing rule is testable: `previous` and `newest` are unix seconds.
 */
export function closedBuckets(previous: number | null, newest: number | null, intervals: LiveFeedOptions['intervals']): BucketEvent[] {
  if (previous === null || newest === null) return [];
  const events: BucketEvent[] = [];
  for (const { name, resolution } of intervals) {
    const before = Math.floor(previous / resolution);
    const now = Math.floor(newest / resolution);
    if (now > before) events.push({ interval: name, ts: (now - 1) * resolution, step: resolution });
  }
  return events;
}

/**
 * Feeds the SSE hub: `bucket` events when the store's newest data moves into a later bucket
 * (the bucket before it is then closed; data is stamped with event time, so a replayed capture
 * closes buckets as it is replayed), and `alert` events from the alert store's change stream,
 * starting with changes made after the feed started. Runs until `stop()`.
 */
export class LiveFeed {
  private running = false;
  private previous: number | null = null;
  private lastAlertId = '0-0';
  private timer: NodeJS.Timeout | undefined;
  private alertLoop: Promise<void> | undefined;

  constructor(private readonly options: LiveFeedOptions) {}

  get started(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.previous = await this.options.newest().catch(() => null);
    this.lastAlertId = await this.options.lastAlertStreamId().catch((error: unknown) => {
      this.options.log.warn('live feed: reading the alert stream position failed; delivering from its start', { error });
      return '0-0';
    });
    const pollMs = this.options.pollMs ?? 1000;
    this.timer = setInterval(() => void this.checkBuckets(), pollMs);
    this.timer.unref();
    this.alertLoop = this.tailAlerts(pollMs);
  }

  private async checkBuckets(): Promise<void> {
    try {
      const newest = await this.options.newest();
      for (const event of closedBuckets(this.previous, newest, this.options.intervals)) this.options.hub.publish('bucket', event);
      if (newest !== null && (this.previous === null || newest > this.previous)) this.previous = newest;
    } catch (error) {
      this.options.log.warn('live feed: reading the newest data time failed', { error });
    }
  }

  private async tailAlerts(pollMs: number): Promise<void> {
    const connection = this.options.blockingConnection;
    while (this.running) {
      try {
        const events = await this.options.alerts.readEvents(this.lastAlertId, connection ? { count: 100, blockMs: pollMs, connection } : { count: 100 });
        for (const { streamId, event } of events) {
          this.lastAlertId = streamId;
          this.options.hub.publish('alert', { type: event.type, alert: toApiAlert(event.alert) });
        }
        if (!connection && events.length === 0) await sleep(pollMs);
      } catch (error) {
        if (!this.running) break;
        this.options.log.warn('live feed: reading the alert stream failed', { error });
        await sleep(pollMs);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await this.alertLoop;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
