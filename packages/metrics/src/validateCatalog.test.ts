import { describe, expect, it } from 'vitest';
import { CatalogError } from './catalogError';
import { defaultCatalog } from './defaultCatalog';
import { validateCatalog, type CatalogOptions } from './validateCatalog';

const good = {
  name: 'conn.count.resp',
  version: 1,
  type: 'count',
  key: 'resp',
  value: { const: 1 },
  description: 'Connections answered.',
  unit: 'connections',
  intervals: ['days', 'months'],
};

function errorOf(defs: unknown, options?: CatalogOptions): CatalogError {
  try {
    validateCatalog(defs, options);
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError');
}

describe('validateCatalog', () => {
  it('accepts the default catalog', () => {
    expect(validateCatalog(defaultCatalog)).toBe(defaultCatalog);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not an array', { metrics: [] }, 'metrics', /must be an array/],
    ['empty', [], 'metrics', /at least one/],
    ['not an object', [good, 42], 'metrics[1]', /must be an object/],
    ['bad name', [{ ...good, name: 'Conn Count' }], 'metrics[0].name', /lower-case dotted/],
    ['duplicate name', [good, { ...good }], 'metrics[1].name', /duplicates metrics\[0\]\.name "conn.count.resp"/],
    ['version 0', [{ ...good, version: 0 }], 'metrics[0].version', /positive integer/],
    ['unknown type', [good, { ...good, name: 'a.b' }, { ...good, name: 'a.c' }, { ...good, name: 'x.y', type: 'counter' }], 'metrics[3].type', /must be one of count, histogram, hll, set, gauge, series/],
    ['bad key', [{ ...good, key: 'src' }], 'metrics[0].key', /"orig" or "resp"/],
    ['empty description', [{ ...good, description: ' ' }], 'metrics[0].description', /non-empty/],
    ['missing unit', [{ ...good, unit: undefined }], 'metrics[0].unit', /non-empty/],
    ['typo in a property', [{ ...good, filer: {} }], 'metrics[0].filer', /unknown property/],
    ['no intervals', [{ ...good, intervals: [] }], 'metrics[0].intervals', /non-empty array of interval names \(days, months\)/],
    ['unknown interval', [{ ...good, intervals: ['days', 'weeks'] }], 'metrics[0].intervals[1]', /must be one of days, months/],
    ['repeated interval', [{ ...good, intervals: ['days', 'days'] }], 'metrics[0].intervals[1]', /repeats/],
    ['no value', [{ ...good, value: undefined }], 'metrics[0].value', /const: number/],
    ['unknown field', [{ ...good, value: { field: 'srcIp' } }], 'metrics[0].value.field', /must be one of ts, origIp/],
    ['const for a histogram', [{ ...good, type: 'histogram', value: { const: 1 } }], 'metrics[0].value', /needs a field/],
    ['const not finite', [{ ...good, value: { const: Infinity } }], 'metrics[0].value.const', /finite/],
    ['strings into a count', [{ ...good, value: { field: 'service' } }], 'metrics[0].value', /needs numbers; service gives strings/],
    ['bad logBins labels', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 1, max: 10, labels: 'names' } } }], 'metrics[0].value.transform.labels', /"range" or "lowerEdge"/],
    ['unbounded histogram', [{ ...good, type: 'histogram', value: { field: 'peerIp' } }], 'metrics[0].value', /bounded cardinality; peerIp/],
    ['unbounded numeric histogram', [{ ...good, type: 'histogram', value: { field: 'bytes' } }], 'metrics[0].value', /bounded cardinality/],
    ['transformed count', [{ ...good, value: { field: 'duration', transform: { kind: 'logBins', min: 1, max: 10 } } }], 'metrics[0].value.transform', /transforms are for histogram, set and hll/],
    ['unknown transform', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'sqrt' } } }], 'metrics[0].value.transform.kind', /"logBins" or "oneOf"/],
    ['logBins min 0', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 0, max: 10 } } }], 'metrics[0].value.transform.min', /positive/],
    ['logBins max below min', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 10, max: 1 } } }], 'metrics[0].value.transform.max', /greater than min/],
    ['logBins base 1', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 1, max: 10, base: 1 } } }], 'metrics[0].value.transform.base', /greater than 1/],
    ['logBins too many', [{ ...good, type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 1e-9, max: 1e9, base: 1.1 } } }], 'metrics[0].value.transform', /more than 64 bins/],
    ['logBins on strings', [{ ...good, type: 'histogram', value: { field: 'service', transform: { kind: 'logBins', min: 1, max: 10 } } }], 'metrics[0].value.transform', /numeric field/],
    ['oneOf without values', [{ ...good, type: 'histogram', value: { field: 'connState', transform: { kind: 'oneOf', values: [], other: 'x' } } }], 'metrics[0].value.transform.values', /non-empty array/],
    ['oneOf repeated value', [{ ...good, type: 'histogram', value: { field: 'connState', transform: { kind: 'oneOf', values: ['SF', 'SF'], other: 'x' } } }], 'metrics[0].value.transform.values[1]', /repeats "SF"/],
    ['oneOf without other', [{ ...good, type: 'histogram', value: { field: 'connState', transform: { kind: 'oneOf', values: ['SF'] } } }], 'metrics[0].value.transform.other', /non-empty string/],
    ['histogram numeric default', [{ ...good, type: 'histogram', value: { field: 'service', default: 0 } }], 'metrics[0].value.default', /must be a string/],
    ['count string default', [{ ...good, value: { field: 'duration', default: 'none' } }], 'metrics[0].value.default', /must be a number/],
    ['filter not an object', [{ ...good, filter: 'tcp only' }], 'metrics[0].filter', /must be a condition/],
    ['filter unknown op', [{ ...good, filter: { field: 'proto', op: 'like', value: 'tcp' } }], 'metrics[0].filter.op', /must be one of eq, ne/],
    ['filter value kind', [{ ...good, filter: { field: 'respPort', op: 'eq', value: '443' } }], 'metrics[0].filter.value', /must be a number, like the field respPort/],
    ['ordered op on a string', [{ ...good, filter: { field: 'proto', op: 'gt', value: 'a' } }], 'metrics[0].filter.op', /numeric field/],
    ['in without values', [{ ...good, filter: { field: 'proto', op: 'in', values: [] } }], 'metrics[0].filter.values', /non-empty/],
    ['in value kind', [{ ...good, filter: { field: 'proto', op: 'in', values: ['tcp', 6] } }], 'metrics[0].filter.values[1]', /must be a string/],
    ['nested bad field', [{ ...good, filter: { all: [{ field: 'proto', op: 'eq', value: 'tcp' }, { any: [{ field: 'nope', op: 'exists' }] }] } }], 'metrics[0].filter.all[1].any[0].field', /must be one of/],
    ['empty all', [{ ...good, filter: { all: [] } }], 'metrics[0].filter.all', /non-empty array/],
    ['weight on a count', [{ ...good, weight: 'bytes' }], 'metrics[0].weight', /only applies to histograms/],
    ['weight by a string field', [{ ...good, type: 'histogram', value: { field: 'respPort' }, weight: 'service' }], 'metrics[0].weight', /byte or packet field: one of bytes, pkts/],
    ['weight by duration', [{ ...good, type: 'histogram', value: { field: 'respPort' }, weight: 'duration' }], 'metrics[0].weight', /byte or packet field/],
    ['extra property in a condition', [{ ...good, filter: { field: 'proto', op: 'exists', value: 1 } }], 'metrics[0].filter.value', /unknown property/],
  ])('names the offending field: %s', (_what, defs, path, message) => {
    const error = errorOf(defs);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    expect(error.retriable).toBe(false);
  });

  it('reports every problem at once', () => {
    const error = errorOf([{ ...good, type: 'nope', key: 'x' }, { ...good, name: 'conn.count.resp' }]);
    expect(error.issues.map((i) => i.path)).toEqual(['metrics[0].type', 'metrics[0].key', 'metrics[1].name']);
  });

  it('can require numeric histogram values, naming each histogram of strings', () => {
    const error = errorOf(defaultCatalog, { histogramValues: 'numeric' });
    const names = error.issues.map((i) => defaultCatalog[Number(/metrics\[(\d+)\]/.exec(i.path)?.[1])]?.name);
    expect(names).toEqual(['conn.state.orig', 'conn.state.resp', 'conn.service.orig', 'conn.service.resp', 'conn.peer.orig', 'conn.peer.resp', 'conn.peer.orig.bytes', 'conn.peer.resp.bytes']);
    expect(error.message).toMatch(/numeric histogram values only; connState after its transform gives strings/);
    const numericOnly = defaultCatalog.filter((d) => !/^conn\.(state|service|peer)\./.test(d.name));
    expect(validateCatalog(numericOnly, { histogramValues: 'numeric' })).toBe(numericOnly);
  });

  it('checks intervals against the store configuration it is given', () => {
    expect(validateCatalog([{ ...good, intervals: ['hours'] }], { intervals: ['hours'] })).toHaveLength(1);
    expect(errorOf([good], { intervals: ['hours'] }).path).toBe('metrics[0].intervals[0]');
  });
});
