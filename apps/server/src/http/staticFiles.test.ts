import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from './staticFiles';

const script = Buffer.from(`export const x = ${JSON.stringify('ipscope '.repeat(400))};\n`);
let dist: string;
let server: http.Server;
let port: number;

/** A raw HTTP request (no automatic decompression): status, headers and the bytes as sent. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-static-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>secret page source</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app-1a2b.js'), script);
  fs.writeFileSync(path.join(dist, 'assets', 'app-1a2b.js.br'), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(dist, 'assets', 'app-1a2b.js.gz'), zlib.gzipSync(script));
  fs.writeFileSync(path.join(dist, 'assets', 'tiny-3c4d.css'), 'body{}');
  fs.writeFileSync(path.join(dist, 'assets', 'logo-5e6f.svg'), '<svg/>');
  const app = express();
  app.use('/assets', staticFiles(dist));
  app.use((_req, res) => {
    res.status(404).send('passed on');
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('staticFiles', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br', (b: Buffer) => zlib.brotliDecompressSync(b)],
    ['gzip', 'gzip', (b: Buffer) => zlib.gunzipSync(b)],
    ['br;q=0, gzip;q=0.5', 'gzip', (b: Buffer) => zlib.gunzipSync(b)],
    ['identity', undefined, (b: Buffer) => b],
  ])('sends the copy the browser accepts (Accept-Encoding: %s)', async (acceptEncoding, encoding, decode) => {
    const res = await get('/assets/app-1a2b.js', { 'accept-encoding': acceptEncoding });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(decode(res.body).equals(script)).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toBe('accept-encoding');
  });

  it('sends a small file the build did not compress as it is, whatever the browser accepts', async () => {
    const res = await get('/assets/tiny-3c4d.css', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.body.toString()).toBe('body{}');
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get('/assets/app-1a2b.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBe(0);
  });

  it.each(['/assets/missing-0000.js', '/assets/logo-5e6f.svg', '/assets/..%2Findex.html', '/assets/%2e%2e/index.html', '/assets/.hidden.js', '/assets/sub/app-1a2b.js'])(
    'passes %s on (not a script or style sheet of the build)',
    async (url) => {
      const res = await get(url, { 'accept-encoding': 'br' });
      expect(res.status).toBe(404);
      expect(res.body.toString()).toBe('passed on');
    },
  );
});
