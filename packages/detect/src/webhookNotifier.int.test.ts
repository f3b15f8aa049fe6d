import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from './alert';
import { InvalidOptionError, WebhookDeliveryError } from './errors';
import { WebhookNotifier } from './webhookNotifier';

interface Receiver {
  url: string;
  bodies: string[];
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

/** A real HTTP server on 127.0.0.1 that answers with the given statuses in turn (last one repeats). */
async function receiver(statuses: number[], delayMs = 0): Promise<Receiver> {
  const bodies: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      headers.push(req.headers);
      const status = statuses[Math.min(calls, statuses.length - 1)] as number;
      calls++;
      setTimeout(() => {
        res.statusCode = status;
        res.end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const r: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    headers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  receivers.push(r);
  return r;
}

afterEach(async () => {
  while (receivers.length > 0) await receivers.pop()?.close();
});

const event: AlertEvent = {
  type: 'open',
  alert: {
    id: 'a1',
    metric: 'conns',
    entity: '10.0.0.5',
    severity: 'high',
    state: 'active',
    start: 1,
    end: null,
    lastTs: 1,
    score: 0.8,
    peakScore: 0.8,
    view: 'spike',
    direction: 'up',
    expected: 4,
    observed: 400,
    lower: 1,
    upper: 9,
    explanation: 'x',
    acknowledged: null,
    resolved: null,
  },
};

describe('WebhookNotifier', () => {
  it('POSTs the event as JSON with the configured headers', async () => {
    const r = await receiver([204]);
    const notifier = new WebhookNotifier({ url: r.url, headers: { authorization: 'Bearer t' } });
    expect(await notifier.notify(event)).toEqual({ delivered: true, attempts: 1, status: 204 });
    expect(JSON.parse(r.bodies[0] as string)).toEqual(event);
    expect(r.headers[0]?.['content-type']).toBe('application/json');
    expect(r.headers[0]?.authorization).toBe('Bearer t');
  });

  it('retries 5xx and 429 with back-off until accepted', async () => {
    const r = await receiver([503, 429, 500, 200]);
    const notifier = new WebhookNotifier({ url: r.url, initialDelayMs: 10, maxAttempts: 5 });
    const delivery = await notifier.notify(event);
    expect(delivery).toEqual({ delivered: true, attempts: 4, status: 200 });
    expect(r.bodies).toHaveLength(4);
  });

  it('does not retry a 4xx rejection and says so', async () => {
    const r = await receiver([400]);
    const notifier = new WebhookNotifier({ url: r.url, initialDelayMs: 10 });
    const error = await notifier.notify(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect((error as WebhookDeliveryError).retriable).toBe(false);
    expect((error as WebhookDeliveryError).message).toMatch(/rejected the open event of alert a1 with HTTP 400/);
    expect(r.bodies).toHaveLength(1);
  });

  it('gives up after maxAttempts on a receiver that keeps failing or hangs', async () => {
    const failing = await receiver([500]);
    const error = await new WebhookNotifier({ url: failing.url, initialDelayMs: 5, maxAttempts: 3 }).notify(event).catch((e: unknown) => e);
    expect((error as WebhookDeliveryError).attempts).toBe(3);
    expect((error as WebhookDeliveryError).retriable).toBe(true);
    expect(failing.bodies).toHaveLength(3);
    const slow = await receiver([200], 500);
    const timeout = await new WebhookNotifier({ url: slow.url, initialDelayMs: 5, maxAttempts: 2, timeoutMs: 50 }).notify(event).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(WebhookDeliveryError);
    expect((timeout as Error).message).toMatch(/after 2 attempts/);
  });

  it('reports each event of a batch without letting one failure stop the rest', async () => {
    const r = await receiver([400, 200]);
    const results = await new WebhookNotifier({ url: r.url, initialDelayMs: 5 }).notifyAll([event, { ...event, type: 'close' }]);
    expect(results[0]).toBeInstanceOf(WebhookDeliveryError);
    expect(results[1]).toEqual({ delivered: true, attempts: 1, status: 200 });
  });

  it.each([
    [{ url: 'not a url' }, /url: must be an absolute/],
    [{ url: 'ftp://127.0.0.1/x' }, /must use http or https/],
    [{ url: 'http://127.0.0.1/x', maxAttempts: 0 }, /maxAttempts/],
  ])('rejects impossible options %j', (options, message) => {
    expect(() => new WebhookNotifier(options)).toThrow(InvalidOptionError);
    expect(() => new WebhookNotifier(options)).toThrow(message);
  });
});
