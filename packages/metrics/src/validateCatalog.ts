import { CatalogError, type CatalogIssue } from './catalogError';
import { EVENT_FIELDS, EVENT_FIELD_NAMES, type EventField } from './eventField';
import { seedIntervals } from './intervals';
import { logBinEdges, MAX_LOG_BINS } from './logBins';
import { METRIC_TYPES, WEIGHT_FIELDS, type MetricDefinition } from './metricDefinition';

/** Options of {@link validateCatalog}. */
export interface CatalogOptions {
  /** Interval names the store is configured with. Default: the seed's `days` and `months`. */
  intervals?: readonly string[];
  /**
   * What histogram values the store takes. `any` (default): numbers or
   * strings. `numeric`: numbers only (a store that computes percentiles over
   * every histogram); a histogram of strings (states, services) is then an error.
   */
  histogramValues?: 'any' | 'numeric';
}

const NAME = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;
const DEFINITION_KEYS = ['name', 'version', 'type', 'key', 'value', 'filter', 'description', 'unit', 'intervals', 'weight'];
const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const ORDERED = ['gt', 'gte', 'lt', 'lte'];
const NUMERIC_TYPES = ['count', 'gauge', 'series'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (values: readonly string[]): string => values.join(', ');

/**
 * Checks a metric catalog and returns it typed. Throws {@link CatalogError}
 * listing every problem, each with the path of the offending field, e.g.
 * `metrics[3].type: must be one of count, histogram, hll, set, gauge, series`.
 *
 * Beyond shapes it checks meaning: names unique and dotted, a histogram's
 * values bounded (a transform or a field of few values), numeric types fed
 * numbers, filters comparing like with like, intervals known to the store, a weight only on a
 * histogram and only by a byte or packet field.
 */
export function validateCatalog(defs: unknown, options: CatalogOptions = {}): readonly MetricDefinition[] {
  const intervals = options.intervals ?? Object.keys(seedIntervals);
  const issues: CatalogIssue[] = [];
  const report = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!Array.isArray(defs)) {
    report('metrics', 'must be an array of metric definitions');
    throw new CatalogError(issues);
  }
  if (defs.length === 0) report('metrics', 'must define at least one metric');
  const seen = new Map<string, number>();
  defs.forEach((def: unknown, i) => {
    const at = `metrics[${i}]`;
    if (!isObject(def)) {
      report(at, 'must be an object');
      return;
    }
    for (const key of Object.keys(def)) {
      if (!DEFINITION_KEYS.includes(key)) report(`${at}.${key}`, `unknown property; expected one of ${list(DEFINITION_KEYS)}`);
    }
    const name = def['name'];
    if (typeof name !== 'string' || !NAME.test(name) || name.length > 64) {
      report(`${at}.name`, 'must be a lower-case dotted name of at most 64 characters, e.g. "conn.count.resp"');
    } else if (seen.has(name)) {
      report(`${at}.name`, `duplicates metrics[${seen.get(name)}].name "${name}"`);
    } else {
      seen.set(name, i);
    }
    const version = def['version'];
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      report(`${at}.version`, 'must be a positive integer (bump it when the meaning changes)');
    }
    const type = def['type'];
    const typeOk = typeof type === 'string' && (METRIC_TYPES as readonly string[]).includes(type);
    if (!typeOk) report(`${at}.type`, `must be one of ${list(METRIC_TYPES)}`);
    const key = def['key'];
    if (key !== 'orig' && key !== 'resp') report(`${at}.key`, 'must be "orig" or "resp"');
    for (const prop of ['description', 'unit'] as const) {
      const text = def[prop];
      if (typeof text !== 'string' || text.trim().length === 0) report(`${at}.${prop}`, 'must be a non-empty string');
    }
    checkIntervals(def['intervals'], `${at}.intervals`, intervals, report);
    if (typeOk) checkValue(def['value'], `${at}.value`, type, report, options.histogramValues === 'numeric');
    if (def['filter'] !== undefined) checkFilter(def['filter'], `${at}.filter`, report);
    const weight = def['weight'];
    if (weight !== undefined) {
      if (typeOk && type !== 'histogram') report(`${at}.weight`, `only applies to histograms (a value's count grows by the weight), not to a ${String(type)}`);
      if (typeof weight !== 'string' || !(WEIGHT_FIELDS as readonly string[]).includes(weight)) {
        report(`${at}.weight`, `must be a byte or packet field: one of ${list(WEIGHT_FIELDS)}`);
      }
    }
  });
  if (issues.length > 0) throw new CatalogError(issues);
  return defs as readonly MetricDefinition[];
}

type Report = (path: string, message: string) => void;

function checkIntervals(value: unknown, at: string, known: readonly string[], report: Report): void {
  if (!Array.isArray(value) || value.length === 0) {
    report(at, `must be a non-empty array of interval names (${list(known)})`);
    return;
  }
  value.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !known.includes(name)) report(`${at}[${i}]`, `must be one of ${list(known)}`);
    else if (value.indexOf(name) !== i) report(`${at}[${i}]`, `repeats "${name}"`);
  });
}

function fieldOf(value: unknown, at: string, report: Report): EventField | undefined {
  if (typeof value === 'string' && Object.hasOwn(EVENT_FIELDS, value)) return value as EventField;
  report(at, `must be one of ${list(EVENT_FIELD_NAMES)}`);
  return undefined;
}

function checkValue(value: unknown, at: string, type: string, report: Report, numericHistograms = false): void {
  if (!isObject(value)) {
    report(at, 'must be { const: number } or { field, transform?, default? }');
    return;
  }
  const numeric = NUMERIC_TYPES.includes(type);
  if ('const' in value) {
    for (const key of Object.keys(value)) if (key !== 'const') report(`${at}.${key}`, 'is not allowed beside const');
    if (typeof value['const'] !== 'number' || !Number.isFinite(value['const'])) report(`${at}.const`, 'must be a finite number');
    if (!numeric) report(at, `a ${type} needs a field, not a constant`);
    return;
  }
  for (const key of Object.keys(value)) {
    if (!['field', 'transform', 'default', 'unbounded'].includes(key)) report(`${at}.${key}`, 'unknown property; expected field, transform, default, unbounded');
  }
  const field = fieldOf(value['field'], `${at}.field`, report);
  if (field === undefined) return;
  const info = EVENT_FIELDS[field];
  const transform = value['transform'];
  let bounded = info.bounded;
  if (transform !== undefined) {
    if (numeric) {
      report(`${at}.transform`, `a ${type} takes the field's number as it is; transforms are for histogram, set and hll`);
      return;
    }
    if (!checkTransform(transform, `${at}.transform`, info.kind, report)) return;
    bounded = true;
  }
  if (type === 'histogram' && numericHistograms) {
    const numericOut = isObject(transform) ? transform['kind'] === 'logBins' && transform['labels'] === 'lowerEdge' : info.kind === 'number';
    if (!numericOut || typeof value['default'] === 'string') {
      report(at, `the store takes numeric histogram values only; ${field}${transform === undefined ? '' : ' after its transform'} gives strings`);
    }
  }
  if (numeric && info.kind !== 'number') report(at, `a ${type} needs numbers; ${field} gives strings`);
  const unbounded = value['unbounded'];
  if (unbounded !== undefined && unbounded !== true) report(`${at}.unbounded`, 'must be true when given');
  if (unbounded === true && type !== 'histogram') report(`${at}.unbounded`, `only applies to histograms, not to a ${type}`);
  if (type === 'histogram' && !bounded && unbounded !== true) {
    report(at, `histogram values must have bounded cardinality; ${field} does not: add a transform (logBins or oneOf), or unbounded: true for a deliberate one such as peers`);
  }
  const fallback = value['default'];
  if (fallback !== undefined) {
    if (numeric && typeof fallback !== 'number') report(`${at}.default`, `must be a number for a ${type}`);
    else if (!numeric && typeof fallback !== 'string') report(`${at}.default`, `must be a string for a ${type}`);
    else if (typeof fallback === 'number' && !Number.isFinite(fallback)) report(`${at}.default`, 'must be finite');
    else if (typeof fallback === 'string' && fallback.length === 0) report(`${at}.default`, 'must not be empty');
  }
}

/** Returns true when the transform is valid. */
function checkTransform(transform: unknown, at: string, kind: 'number' | 'string', report: Report): boolean {
  if (!isObject(transform)) {
    report(at, 'must be { kind: "logBins", ... } or { kind: "oneOf", ... }');
    return false;
  }
  let problems = 0;
  const counted: Report = (p, m) => {
    problems++;
    report(p, m);
  };
  if (transform['kind'] === 'logBins') {
    for (const key of Object.keys(transform)) {
      if (!['kind', 'min', 'max', 'base', 'unit', 'labels'].includes(key)) {
        counted(`${at}.${key}`, 'unknown property; expected kind, min, max, base, unit, labels');
      }
    }
    if (kind !== 'number') counted(at, 'logBins needs a numeric field');
    const min = transform['min'];
    const max = transform['max'];
    const base = transform['base'] ?? 10;
    if (typeof min !== 'number' || !Number.isFinite(min) || min <= 0) counted(`${at}.min`, 'must be a positive number');
    if (typeof max !== 'number' || !Number.isFinite(max) || typeof min !== 'number' || max <= min) {
      counted(`${at}.max`, 'must be a number greater than min');
    }
    if (typeof base !== 'number' || !Number.isFinite(base) || base <= 1) counted(`${at}.base`, 'must be a number greater than 1');
    const labels = transform['labels'];
    if (labels !== undefined && labels !== 'range' && labels !== 'lowerEdge') counted(`${at}.labels`, 'must be "range" or "lowerEdge"');
    const unit = transform['unit'];
    if (unit !== undefined && (typeof unit !== 'string' || unit.length > 8)) counted(`${at}.unit`, 'must be a short string such as "s"');
    if (problems === 0 && logBinEdges(min as number, max as number, base as number).length > MAX_LOG_BINS) {
      counted(at, `gives more than ${MAX_LOG_BINS} bins; raise base or narrow min..max`);
    }
  } else if (transform['kind'] === 'oneOf') {
    for (const key of Object.keys(transform)) {
      if (!['kind', 'values', 'other'].includes(key)) counted(`${at}.${key}`, 'unknown property; expected kind, values, other');
    }
    if (kind !== 'string') counted(at, 'oneOf needs a string field');
    const values = transform['values'];
    if (!Array.isArray(values) || values.length === 0 || values.length > 1000) {
      counted(`${at}.values`, 'must be a non-empty array of at most 1000 strings');
    } else {
      values.forEach((v: unknown, i) => {
        if (typeof v !== 'string' || v.length === 0) counted(`${at}.values[${i}]`, 'must be a non-empty string');
        else if (values.indexOf(v) !== i) counted(`${at}.values[${i}]`, `repeats "${v}"`);
      });
    }
    const other = transform['other'];
    if (typeof other !== 'string' || other.length === 0) counted(`${at}.other`, 'must be a non-empty string for values not listed');
  } else {
    counted(`${at}.kind`, 'must be "logBins" or "oneOf"');
  }
  return problems === 0;
}

function checkFilter(filter: unknown, at: string, report: Report, depth = 0): void {
  if (depth > 8) {
    report(at, 'nests deeper than 8 levels');
    return;
  }
  if (!isObject(filter)) {
    report(at, 'must be a condition { field, op, ... } or { all: [...] } / { any: [...] } / { not: ... }');
    return;
  }
  for (const group of ['all', 'any'] as const) {
    if (group in filter) {
      const parts = filter[group];
      if (Object.keys(filter).length !== 1) report(at, `${group} must be the only property`);
      if (!Array.isArray(parts) || parts.length === 0) report(`${at}.${group}`, 'must be a non-empty array of filters');
      else parts.forEach((p: unknown, i) => checkFilter(p, `${at}.${group}[${i}]`, report, depth + 1));
      return;
    }
  }
  if ('not' in filter) {
    if (Object.keys(filter).length !== 1) report(at, 'not must be the only property');
    checkFilter(filter['not'], `${at}.not`, report, depth + 1);
    return;
  }
  const field = fieldOf(filter['field'], `${at}.field`, report);
  const op = filter['op'];
  const kind = field === undefined ? undefined : EVENT_FIELDS[field].kind;
  const allowed = ['field', 'op'];
  if (typeof op === 'string' && COMPARISONS.includes(op)) {
    allowed.push('value');
    const value = filter['value'];
    if (typeof value !== 'number' && typeof value !== 'string') report(`${at}.value`, 'must be a number or a string');
    else if (kind !== undefined && typeof value !== kind) report(`${at}.value`, `must be a ${kind}, like the field ${field}`);
    if (ORDERED.includes(op) && kind === 'string') report(`${at}.op`, `${op} needs a numeric field; ${field} is a string`);
  } else if (op === 'in' || op === 'notIn') {
    allowed.push('values');
    const values = filter['values'];
    if (!Array.isArray(values) || values.length === 0) report(`${at}.values`, 'must be a non-empty array');
    else {
      values.forEach((v: unknown, i) => {
        if (kind !== undefined && typeof v !== kind) report(`${at}.values[${i}]`, `must be a ${kind}, like the field ${field}`);
      });
    }
  } else if (op !== 'exists' && op !== 'missing') {
    report(`${at}.op`, `must be one of ${list([...COMPARISONS, 'in', 'notIn', 'exists', 'missing'])}`);
  }
  for (const key of Object.keys(filter)) {
    if (!allowed.includes(key)) report(`${at}.${key}`, `unknown property; expected ${list(allowed)}`);
  }
}
