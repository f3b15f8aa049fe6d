import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, roles: ['api', 'ingest', 'detect'], topic: 'zeek.conn', prefix: 'ips' });
    expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(c.topics).toEqual([
      { topic: 'zeek.conn', format: 'zeek' },
      { topic: 'ipscope.backfill', format: 'netevent' },
    ]);
  });

  it.each([
    [{ REDIS_URL: undefined }, 'REDIS_URL', 'is required'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL', 'redis://'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', 'host:port'],
    [{ IPSCOPE_PORT: '70000' }, 'IPSCOPE_PORT', ''],
    [{ IPSCOPE_PORT: 'eighty' }, 'IPSCOPE_PORT', ''],
    [{ IPSCOPE_ROLES: 'api,web' }, 'IPSCOPE_ROLES', 'roles are api, ingest and detect'],
    [{ IPSCOPE_ALERT_THRESHOLD: '1.5' }, 'IPSCOPE_ALERT_THRESHOLD', 'below 1'],
    [{ IPSCOPE_WEBHOOK_URL: 'ftp://x' }, 'IPSCOPE_WEBHOOK_URL', 'http(s) URL'],
    [{ IPSCOPE_TOPIC: 'bad topic' }, 'IPSCOPE_TOPIC', 'topic'],
    [{ IPSCOPE_TOPICS: 'zeek.conn:pcap' }, 'IPSCOPE_TOPICS', 'format must be one of'],
  ])('rejects %o naming %s', (override, field, fragment) => {
    const attempt = () => loadConfig({ ...base, ...override });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).field).toBe(field);
      expect((error as ConfigError).message).toContain(field);
      expect((error as ConfigError).message).toContain(fragment);
    }
  });
});
