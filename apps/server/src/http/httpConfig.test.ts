import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config';
import { loadHttpConfig } from './httpConfig';

const TOKEN = '0123456789abcdef0123';

describe('loadHttpConfig', () => {
  it('has safe defaults on loopback', () => {
    expect(loadHttpConfig({}, '127.0.0.1')).toEqual({ token: undefined, corsOrigins: [], rateLimit: 1200, loginRateLimit: 10, maxStreams: 100, trustProxy: false, serverCharts: true });
  });

  it('reads every variable', () => {
    expect(
      loadHttpConfig(
        {
          IPSCOPE_TOKEN: TOKEN,
          IPSCOPE_CORS_ORIGINS: 'https://soc.example, http://10.0.0.5:8080',
          IPSCOPE_RATE_LIMIT: '0',
          IPSCOPE_LOGIN_RATE_LIMIT: '5',
          IPSCOPE_MAX_STREAMS: '20',
          IPSCOPE_TRUST_PROXY: '1',
          IPSCOPE_SERVER_CHARTS: '0',
        },
        '0.0.0.0',
      ),
    ).toEqual({ token: TOKEN, corsOrigins: ['https://soc.example', 'http://10.0.0.5:8080'], rateLimit: 0, loginRateLimit: 5, maxStreams: 20, trustProxy: 1, serverCharts: false });
  });

  it.each([
    [{}, '0.0.0.0', 'IPSCOPE_TOKEN', 'is required when IPSCOPE_HOST (0.0.0.0) is not a loopback address'],
    [{ IPSCOPE_TOKEN: 'short' }, '127.0.0.1', 'IPSCOPE_TOKEN', 'at least 16 characters'],
    [{ IPSCOPE_TOKEN: 'has a space in it, sadly' }, '127.0.0.1', 'IPSCOPE_TOKEN', 'printable ASCII'],
    [{ IPSCOPE_CORS_ORIGINS: 'https://soc.example/path' }, '127.0.0.1', 'IPSCOPE_CORS_ORIGINS', 'no path'],
    [{ IPSCOPE_CORS_ORIGINS: '*' }, '127.0.0.1', 'IPSCOPE_CORS_ORIGINS', 'must list origins'],
    [{ IPSCOPE_RATE_LIMIT: 'lots' }, '127.0.0.1', 'IPSCOPE_RATE_LIMIT', 'whole number'],
    [{ IPSCOPE_MAX_STREAMS: '0' }, '127.0.0.1', 'IPSCOPE_MAX_STREAMS', 'at least 1'],
    [{ IPSCOPE_SERVER_CHARTS: 'off' }, '127.0.0.1', 'IPSCOPE_SERVER_CHARTS', 'must be 1'],
  ])('%j on %s fails naming %s', (env, host, field, reason) => {
    try {
      loadHttpConfig(env, host);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as ConfigError).message).toContain(reason);
    }
  });
});
