import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '@ipscope/metrics';
import { ConfigError } from './config/config';
import { catalogFromEnv, METRICS_SKIP_VARIABLE } from './catalogSelection';

describe('catalogFromEnv', () => {
  it('keeps the whole catalog when nothing is skipped', () => {
    expect(catalogFromEnv({})).toBe(defaultCatalog);
    expect(catalogFromEnv({ [METRICS_SKIP_VARIABLE]: ' ' })).toBe(defaultCatalog);
  });

  it('leaves out the named metrics, in catalog order otherwise', () => {
    const kept = catalogFromEnv({ [METRICS_SKIP_VARIABLE]: 'conn.peer.orig.bytes, conn.peer.resp.bytes' });
    expect(kept.map((d) => d.name)).toEqual(defaultCatalog.map((d) => d.name).filter((n) => !n.endsWith('.bytes') || !n.startsWith('conn.peer.')));
    expect(kept).toHaveLength(defaultCatalog.length - 2);
  });

  it.each([
    ['conn.peer.bytes', /does not hold: conn\.peer\.bytes/],
    [defaultCatalog.map((d) => d.name).join(','), /leaves no metric/],
  ])('refuses %s naming the variable', (value, reason) => {
    let caught: unknown;
    try {
      catalogFromEnv({ [METRICS_SKIP_VARIABLE]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe(METRICS_SKIP_VARIABLE);
    expect((caught as ConfigError).message).toMatch(reason);
  });
});
