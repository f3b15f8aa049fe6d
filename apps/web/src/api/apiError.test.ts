import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from './apiError';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('apiErrorFrom', () => {
  it('keeps what the API says: message, code, parameter and request id', async () => {
    const error = await apiErrorFrom(json(400, { error: { code: 'bad_request', message: 'metrics: unknown metric "x"', parameter: 'metrics', requestId: 'r1' } }));
    expect(error).toMatchObject({ status: 400, code: 'bad_request', message: 'metrics: unknown metric "x"', parameter: 'metrics', requestId: 'r1', retriable: false });
  });

  it.each([
    [401, 'needs an access token'],
    [404, 'does not know this address'],
    [429, 'slow down'],
    [502, 'HTTP 502'],
  ])('explains a %s without an API body', async (status, text) => {
    const error = await apiErrorFrom(new Response('<html>proxy error</html>', { status, headers: { 'x-request-id': 'abc' } }));
    expect(error.message).toContain(text);
    expect(error.code).toBe(`http_${status}`);
    expect(error.requestId).toBe('abc');
  });

  it('marks server and rate-limit failures as worth retrying', async () => {
    expect((await apiErrorFrom(json(503, {}))).retriable).toBe(true);
    expect((await apiErrorFrom(json(429, {}))).retriable).toBe(true);
    expect((await apiErrorFrom(json(400, {}))).retriable).toBe(false);
  });
});
