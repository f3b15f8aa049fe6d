/** One Server-Sent Event as received. */
export interface ReceivedEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` response as it arrives: `next(match)` resolves with the first
 * event (received so far or later) that matches, or rejects after `timeoutMs`.
 */
export class SseReader {
  readonly events: ReceivedEvent[] = [];
  retry: number | undefined;
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private waiters: Array<() => void> = [];
  private done = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(response: Response) {
    this.reader = response.body!.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    const reader = this.reader;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += this.decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
        this.wake();
      }
    } catch {
      // The stream was cancelled or the server went away.
    } finally {
      this.done = true;
      this.wake();
    }
  }

  private parse(block: string): void {
    const event: ReceivedEvent = { event: 'message', data: '' };
    let sawData = false;
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'retry') this.retry = Number(value);
      else if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') {
        event.data = sawData ? `${event.data}\n${value}` : value;
        sawData = true;
      }
    }
    if (sawData) this.events.push(event);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Whether the server ended the stream. */
  get ended(): boolean {
    return this.done;
  }

  async next(match: (e: ReceivedEvent) => boolean, timeoutMs = 5000): Promise<ReceivedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.done) throw new Error('the stream ended before a matching event arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server has ended the stream. */
  async waitForEnd(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.done) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Closes the stream from the client side (the connection is dropped). */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
