import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the ingest role, registered on the server's registry (served at /metrics). */
export interface IngestMetrics {
  /** Counts events written for a topic (feeds both the counter and the rate). */
  eventsWritten(topic: string, n: number): void;
  eventsIn: Counter<'topic'>;
  eventsPerSecond: Gauge<'topic'>;
  decodeErrors: Counter<'topic' | 'reason'>;
  deadLettered: Counter<'topic'>;
  skipped: Counter<'topic' | 'reason'>;
  replaySkipped: Counter<'topic'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  storeWriteSeconds: Histogram<'topic'>;
  storeRetries: Counter<'topic'>;
  /** Call once a second: turns the events counter into a rate. */
  tick(): void;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  const eventsIn = new Counter({ name: 'ipscope_ingest_events_total', help: 'Events decoded and written to the store', labelNames: ['topic'], registers });
  const eventsPerSecond = new Gauge({ name: 'ipscope_ingest_events_per_second', help: 'Events written per second, over the last 10 s', labelNames: ['topic'], registers });
  const decodeErrors = new Counter({ name: 'ipscope_ingest_decode_errors_total', help: 'Messages that could not be decoded, by reason', labelNames: ['topic', 'reason'], registers });
  const deadLettered = new Counter({ name: 'ipscope_ingest_dead_lettered_total', help: 'Messages sent to the dead-letter topic', labelNames: ['topic'], registers });
  const skipped = new Counter({ name: 'ipscope_ingest_skipped_total', help: 'Well-formed messages with nothing to count (other event types, headers)', labelNames: ['topic', 'reason'], registers });
  const replaySkipped = new Counter({ name: 'ipscope_ingest_replay_skipped_total', help: 'Messages skipped because the store already holds them (replay after restart)', labelNames: ['topic'], registers });
  const consumerLag = new Gauge({ name: 'ipscope_ingest_consumer_lag', help: 'Messages behind the partition high watermark after the last batch', labelNames: ['topic', 'partition'], registers });
  const storeWriteSeconds = new Histogram({
    name: 'ipscope_ingest_store_write_seconds',
    help: 'Latency of one fenced store write (one partition batch)',
    labelNames: ['topic'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const storeRetries = new Counter({ name: 'ipscope_ingest_store_retries_total', help: 'Store writes retried after a retriable error (Redis down or slow)', labelNames: ['topic'], registers });

  // Events written per topic in each of the last 10 one-second ticks.
  const window: Array<Map<string, number>> = [];
  let current = new Map<string, number>();
  const eventsWritten = (topic: string, n: number) => {
    eventsIn.inc({ topic }, n);
    current.set(topic, (current.get(topic) ?? 0) + n);
  };
  const tick = () => {
    window.push(current);
    current = new Map();
    if (window.length > 10) window.shift();
    const topics = new Set(window.flatMap((w) => [...w.keys()]));
    for (const topic of topics) {
      const sum = window.reduce((s, w) => s + (w.get(topic) ?? 0), 0);
      eventsPerSecond.set({ topic }, sum / window.length);
    }
  };
  return { eventsWritten, eventsIn, eventsPerSecond, decodeErrors, deadLettered, skipped, replaySkipped, consumerLag, storeWriteSeconds, storeRetries, tick };
}
