import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertEvent } from './alert';
import { InvalidOptionError, WebhookDeliveryError } from './errors';

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** http(s) URL that receives a JSON POST per event. Required. */
  url: string;
  /** Attempts per event, first included. Default 5. */
  maxAttempts: number;
  /** Delay before the first retry; doubles each retry (with ±25 % jitter). Default 500 ms. */
  initialDelayMs: number;
  /** Upper bound for one delay. Default 30000 ms. */
  maxDelayMs: number;
  /** Time allowed for one request. Default 5000 ms. */
  timeoutMs: number;
  /** Extra request headers (e.g. an authorization token). Default none. */
  headers: Record<string, string>;
  /** Event types to deliver. Default open, update and close. */
  types: readonly AlertEvent['type'][];
}

export const defaultWebhookNotifierOptions: Omit<WebhookNotifierOptions, 'url'> = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 5000,
  headers: {},
  types: ['open', 'update', 'close'],
};

/** Outcome of one delivery. */
export interface WebhookDelivery {
  delivered: boolean;
  attempts: number;
  status: number | undefined;
}

/**
 * Delivers alert events to a webhook: one JSON POST per event (`{type, alert}`),
 * retried with exponential back-off on network errors, time-outs, 429 and 5xx.
 * Another 4xx means the receiver rejects the request as it is, so it is not retried.
 * A delivery that fails for good throws {@link WebhookDeliveryError} with the
 * number of attempts and whether trying again later might help.
 */
export class WebhookNotifier {
  readonly options: WebhookNotifierOptions;

  constructor(options: Partial<WebhookNotifierOptions> & { url: string }) {
    const merged: WebhookNotifierOptions = { ...defaultWebhookNotifierOptions, ...options };
    let url: URL;
    try {
      url = new URL(merged.url);
    } catch {
      throw new InvalidOptionError('url', `must be an absolute http(s) URL, e.g. https://hooks.example/ipscope (got ${JSON.stringify(merged.url)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidOptionError('url', `must use http or https (got ${url.protocol})`);
    }
    if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1 || merged.maxAttempts > 20) {
      throw new InvalidOptionError('maxAttempts', `must be an integer in [1, 20], e.g. 5 (got ${merged.maxAttempts})`);
    }
    for (const name of ['initialDelayMs', 'maxDelayMs', 'timeoutMs'] as const) {
      if (!(merged[name] >= 0 && Number.isFinite(merged[name]))) throw new InvalidOptionError(name, `must be a number of milliseconds ≥ 0 (got ${merged[name]})`);
    }
    this.options = merged;
  }

  /** Delivers one event (skipped, as delivered, if its type is not selected). */
  async notify(event: AlertEvent): Promise<WebhookDelivery> {
    if (!this.options.types.includes(event.type)) return { delivered: true, attempts: 0, status: undefined };
    const body = JSON.stringify(event);
    let delay = this.options.initialDelayMs;
    let lastError: unknown;
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'ipscope-detect', ...this.options.headers },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        lastStatus = response.status;
        if (response.ok) return { delivered: true, attempts: attempt, status: response.status };
        if (response.status !== 429 && response.status < 500) {
          throw new WebhookDeliveryError(`webhook ${this.options.url} rejected the ${event.type} event of alert ${event.alert.id} with HTTP ${response.status}`, attempt, false);
        }
        lastError = new Error(`HTTP ${response.status}`);
      } catch (error) {
        if (error instanceof WebhookDeliveryError) throw error;
        lastError = error;
      }
      if (attempt < this.options.maxAttempts) {
        const jitter = 0.75 + Math.random() * 0.5;
        await sleep(Math.min(this.options.maxDelayMs, delay) * jitter);
        delay *= 2;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new WebhookDeliveryError(
      `webhook ${this.options.url} did not accept the ${event.type} event of alert ${event.alert.id} after ${this.options.maxAttempts} attempts (last: ${reason}${lastStatus === undefined ? '' : `, HTTP ${lastStatus}`})`,
      this.options.maxAttempts,
      true,
      lastError,
    );
  }

  /** Delivers events in order; returns per-event outcomes, never throws for one failed event. */
  async notifyAll(events: readonly AlertEvent[]): Promise<(WebhookDelivery | WebhookDeliveryError)[]> {
    const out: (WebhookDelivery | WebhookDeliveryError)[] = [];
    for (const event of events) {
      try {
        out.push(await this.notify(event));
      } catch (error) {
        if (!(error instanceof WebhookDeliveryError)) throw error;
        out.push(error);
      }
    }
    return out;
  }
}
