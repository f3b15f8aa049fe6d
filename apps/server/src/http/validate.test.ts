import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { metricList } from '@ipscope/api';
import { BadRequestError } from './errors';
import { parseOrThrow } from './validate';

const schema = z.strictObject({ name: z.string().min(2, 'too short'), metrics: metricList.optional(), n: z.number().optional() });

function problem(input: unknown, where: 'query' | 'body' = 'query'): [string, string] {
  try {
    parseOrThrow(schema, input, where);
  } catch (error) {
    if (error instanceof BadRequestError) return [error.parameter ?? '', error.message];
    throw error;
  }
  throw new Error('expected a BadRequestError');
}


describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { name: 'ab', metrics: 'a.b,c' })).toEqual({ name: 'ab', metrics: ['a.b', 'c'] });
  });

  it.each([
    [{}, 'name', 'name: is required'],
    [{ name: 'a' }, 'name', 'name: too short'],
    [{ name: 'ab', extra: 1 }, 'extra', 'extra: is not a parameter of this endpoint (known: name, metrics, n)'],
    [{ name: 'ab', metrics: 'a.b,BAD' }, 'metrics', 'metrics: item 2: must be a metric name'],
    [{ name: 'ab', n: 'x' }, 'n', 'n: '],
  ])('%j → %s', (input, parameter, message) => {
    const [p, m] = problem(input);
    expect(p).toBe(parameter);
    expect(m).toContain(message);
  });

  it('names the body when it is not an object, and says field for bodies', () => {
    expect(problem([1], 'body')[0]).toBe('body');
    expect(problem({ name: 'ab', x: 1 }, 'body')[1]).toContain('is not a field of this endpoint');
  });
});
