import type { Request, Response } from 'express';
import type { Logger } from '../log';

export interface SseHubOptions {
  /** Concurrent streams allowed in this process; more get 503. Default 100. */
  maxStreams?: number;
  /** Milliseconds between heartbeats. Default 15 000. */
  heartbeatMs?: number;
  /** A stream whose unsent backlog exceeds this many bytes is closed (a client that stopped reading). Default 1 MiB. */
  maxBacklogBytes?: number;
  /** Milliseconds a client waits before reconnecting, sent as `retry:`. Default 5 000. */
  retryMs?: number;
  log?: Logger;
}

export type SseEventName = 'bucket' | 'alert' | 'heartbeat';

/**
 * Server-Sent Events to many browsers: one `publish` writes an event to every open stream.
 * Streams are capped, each gets a heartbeat, and a stream whose client stopped reading is
 * dropped instead of buffering without bound.
 */
export class SseHub {
  private readonly streams = new Set<Response>();
  private readonly maxStreams: number;
  private readonly maxBacklog: number;
  private readonly retryMs: number;
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SseHubOptions = {}) {
    this.maxStreams = options.maxStreams ?? 100;
    this.maxBacklog = options.maxBacklogBytes ?? 1 << 20;
    this.retryMs = options.retryMs ?? 5000;
    this.timer = setInterval(() => this.publish('heartbeat', { time: Math.floor(Date.now() / 1000) }), options.heartbeatMs ?? 15_000);
    this.timer.unref();
  }

  /** Open streams now. */
  get size(): number {
    return this.streams.size;
  }

  get capacity(): number {
    return this.maxStreams;
  }

  /** Starts a stream on `res`; false (nothing written) when the cap is reached or the hub is closed. */
  open(req: Request, res: Response): boolean {
    if (this.closed || this.streams.size >= this.maxStreams) return false;
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write(`retry: ${this.retryMs}\n\n`);
    this.streams.add(res);
    const drop = () => this.streams.delete(res);
    res.on('close', drop);
    res.on('error', drop);
    return true;
  }

  /** Sends one event to every open stream. */
  publish(event: SseEventName, data: unknown): void {
    if (this.streams.size === 0) return;
    const frame = `id: ${this.nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.streams) {
      if (res.writableLength > this.maxBacklog) {
        this.options.log?.warn('closing a live stream whose client stopped reading', { backlog: res.writableLength });
        this.streams.delete(res);
        res.destroy();
        continue;
      }
      res.write(frame);
    }
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
