import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { createStore } from '@ipscope/timeseries';
import type { SessionResponse } from '@ipscope/api';
import { InsecureBindError } from './bindPolicy';
import { defaultStoreMetrics, startTestApi, type TestApi } from './testing/harness';
import { startHttpServer } from './server';

const TOKEN = 'correct-horse-battery-staple-42';
const T0 = 1_714_564_800;

describe('without a token (loopback)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi(inject('redisUrl'), { security: { corsOrigins: ['https://dash.example'] } });
  });
  afterAll(async () => t?.close());

  it('sets a strict Content-Security-Policy and the other security headers', async () => {
    const res = await fetch(`${t.base}/api/metrics`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'connect-src': "'self'",
      'style-src-attr': "'unsafe-inline'",
    });
    // The only relaxation: style attributes (ECharts tooltips); never inline script or <style>.
    expect(csp.match(/unsafe-inline/g)).toHaveLength(1);
    expect(directives['script-src']).not.toContain('unsafe');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('says no token is needed', async () => {
    const body = (await (await fetch(`${t.base}/api/session`)).json()) as SessionResponse;
    expect(body).toEqual({ authRequired: false, authenticated: true, expiresAt: null });
  });

  it('allows cross-origin reads only from configured origins', async () => {
    const allowed = await fetch(`${t.base}/api/metrics`, { headers: { origin: 'https://dash.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await fetch(`${t.base}/api/metrics`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.base}/api/alerts/a1/acknowledge`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('refuses writes sent from a foreign page', async () => {
    const res = await fetch(`${t.base}/api/alerts/a1/acknowledge`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"by":"mallory"}',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    // The page the server itself serves may (behind a TLS proxy its Origin says https).
    const own = new URL(t.base).host;
    for (const origin of [`http://${own}`, `https://${own}`]) {
      const ok = await fetch(`${t.base}/api/alerts/nope/acknowledge`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"by":"ann"}' });
      expect(ok.status).toBe(404);
    }
    const opaque = await fetch(`${t.base}/api/alerts/nope/acknowledge`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: '{"by":"ann"}' });
    expect(opaque.status).toBe(403);
  });

  it('limits body and URL sizes', async () => {
    const big = await fetch(`${t.base}/api/alerts/a1/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 'x'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { parameter: string } }).error.parameter).toBe('body');
    const longUrl = await fetch(`${t.base}/api/metrics?${'a'.repeat(5000)}`);
    expect(longUrl.status).toBe(414);
  });

  it('answers unknown routes with a JSON 404 that carries the request id', async () => {
    for (const url of ['/api/nope', '/api/ips/10.0.0.1/nope', '/nothing-here']) {
      const res = await fetch(`${t.base}${url}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  it('keeps a well-formed request id from a proxy and replaces a malformed one', async () => {
    const kept = await fetch(`${t.base}/api/metrics`, { headers: { 'x-request-id': 'proxy-abc-123456' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-abc-123456');
    const replaced = await fetch(`${t.base}/api/metrics`, { headers: { 'x-request-id': 'bad id\twith tab' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a server error with 500 and nothing internal, and logs it with the request id', async () => {
    // A corrupt alert record in Redis makes the alert listing fail while parsing it.
    await t.redis.hset(`{${t.prefix}:alerts}:alerts`, 'broken', '{"id": "broken", not json');
    await t.redis.zadd(`{${t.prefix}:alerts}:idx:all`, T0, 'broken');
    const res = await fetch(`${t.base}/api/alerts`);
    expect(res.status).toBe(500);
    const text = await res.text();
    const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('internal');
    expect(text).not.toMatch(/SyntaxError|JSON|at |\.ts|alerts\}|stack/);
    const entry = t.logs.find((e) => e.level === 'error' && e.context.requestId === body.error.requestId);
    expect(entry?.context.stack).toMatch(/SyntaxError/);
    await t.redis.del(`{${t.prefix}:alerts}:alerts`, `{${t.prefix}:alerts}:idx:all`);
  });
});

describe('Redis unreachable', () => {
  it('answers 503 with a retry hint, and /healthz reports it', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const store = createStore(dead, { prefix: 'itdead', metrics: defaultStoreMetrics() });
    const t = await startTestApi(inject('redisUrl'), { store, redis: dead });
    try {
      const res = await fetch(`${t.base}/api/ips/10.0.0.1/series?metrics=conn.count.resp`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      const health = await fetch(`${t.base}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ redis: false, kafka: true });
    } finally {
      await t.close();
      dead.disconnect();
    }
  });
});

describe('with a token', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi(inject('redisUrl'), { security: { token: TOKEN } });
  });
  afterAll(async () => t?.close());

  it('rejects requests without a valid token with 401', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TOKEN}` }, { cookie: 'ipscope_session=123.abc' }];
    for (const headers of attempts) {
      const res = await fetch(`${t.base}/api/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ipscope"');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect((await fetch(`${t.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.base}/api/stream`)).status).toBe(401);
  });

  it('accepts the bearer token', async () => {
    expect((await fetch(`${t.base}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${t.base}/metrics`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('logs in with the token, sets an HttpOnly SameSite cookie that then works, and logs out', async () => {
    const wrong = await fetch(`${t.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const login = await fetch(`${t.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ipscope_session=\d+\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    expect(setCookie).not.toContain(TOKEN);
    const session = (await login.json()) as SessionResponse;
    expect(session).toMatchObject({ authRequired: true, authenticated: true });
    const cookie = setCookie.split(';')[0]!;

    expect((await fetch(`${t.base}/api/metrics`, { headers: { cookie } })).status).toBe(200);
    expect(((await (await fetch(`${t.base}/api/session`, { headers: { cookie } })).json()) as SessionResponse).authenticated).toBe(true);
    const tampered = cookie.replace(/=(\d+)\./, (_m, n: string) => `=${Number(n) + 1000}.`);
    expect((await fetch(`${t.base}/api/metrics`, { headers: { cookie: tampered } })).status).toBe(401);

    const logout = await fetch(`${t.base}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(logout.headers.get('set-cookie')).toMatch(/^ipscope_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  });

  it('keeps health, the session state and the OpenAPI document open, the document marking protected routes', async () => {
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    expect(((await (await fetch(`${t.base}/api/session`)).json()) as SessionResponse)).toEqual({ authRequired: true, authenticated: false, expiresAt: null });
    const doc = (await (await fetch(`${t.base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { security: unknown[] }>> };
    expect(doc.paths['/api/metrics']!.get!.security).toEqual([{ bearer: [] }, { session: [] }]);
  });
});

describe('rate limits', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi(inject('redisUrl'), { security: { token: TOKEN, rateLimit: 5, loginRateLimit: 3 } });
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After once a client exceeds its limit', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(`${t.base}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      statuses.push(last.status);
      if (i < 6) await last.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toContain('5');
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('limits log-in attempts separately and more tightly', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${t.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"guess"}' });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(-1)).toEqual([429]);
  });
});

describe('binding', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10'])('refuses to listen on %s without a token, binding nothing', async (host) => {
    const t = await startTestApi(inject('redisUrl'));
    try {
      await expect(startHttpServer(t.api, { host, port: 0, token: undefined })).rejects.toThrow(InsecureBindError);
      await expect(startHttpServer(t.api, { host, port: 0, token: undefined })).rejects.toThrow(/IPSCOPE_TOKEN/);
    } finally {
      await t.close();
    }
  });
});

describe('production mode', () => {
  let t: TestApi;
  let dist: string;
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-web-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>ipscope</title><script type="module" src="/assets/app-1a2b.js"></script>');
    fs.writeFileSync(path.join(dist, 'assets', 'app-1a2b.js'), 'console.info("app")');
    t = await startTestApi(inject('redisUrl'), { webDist: dist });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves the built web app from the same origin, deep links included, under the CSP', async () => {
    for (const url of ['/', '/ip/10.0.0.1?from=1&to=2', '/ip/2001:db8::1']) {
      const res = await fetch(`${t.base}${url}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<title>ipscope</title>');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const asset = await fetch(`${t.base}/assets/app-1a2b.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api404 = await fetch(`${t.base}/api/nope`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('browser log-in (token required, production mode)', () => {
  let t: TestApi;
  let dist: string;
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-web-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>ipscope</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.info("app")');
    t = await startTestApi(inject('redisUrl'), { webDist: dist, security: { token: TOKEN } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const html = { accept: 'text/html' };
  const form = (body: Record<string, string>) => ({
    method: 'POST',
    redirect: 'manual' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(t.base).origin },
    body: new URLSearchParams(body).toString(),
  });

  it('sends a page request without a session to the log-in form, which works without script', async () => {
    const res = await fetch(`${t.base}/ip/10.0.0.1?from=1&to=2`, { headers: html, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/ip/10.0.0.1?from=1&to=2')}`);
    const login = await fetch(`${t.base}${res.headers.get('location')!}`);
    const text = await login.text();
    expect(text).toContain('<form method="post" action="/api/session">');
    expect(text).toContain('value="/ip/10.0.0.1?from=1&#38;to=2"');
    expect(text).not.toMatch(/<script|style=/);
    expect((await fetch(`${t.base}/assets/app.js`)).status).toBe(200);
  });

  it('logs in through the form and goes on to the page asked for; a wrong token goes back to the form', async () => {
    const wrong = await fetch(`${t.base}/api/session`, form({ token: 'guess', next: '/ip/10.0.0.1' }));
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe(`/login?failed=1&next=${encodeURIComponent('/ip/10.0.0.1')}`);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await (await fetch(`${t.base}${wrong.headers.get('location')!}`)).text()).toContain('That is not the access token.');

    const right = await fetch(`${t.base}/api/session`, form({ token: TOKEN, next: '/ip/10.0.0.1' }));
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/ip/10.0.0.1');
    const cookie = right.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${t.base}/ip/10.0.0.1`, { headers: { ...html, cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>ipscope</title>');
  });

  it.each(['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])('never redirects off the server (next=%s)', async (next) => {
    const res = await fetch(`${t.base}/api/session`, form({ token: TOKEN, next }));
    expect(res.headers.get('location')).toBe('/');
  });
});
