import { describe, expect, it } from 'vitest';
import { backend } from './context';
import { BackendError, isProgramError } from './errors';

describe('backend', () => {
  it('turns a failed call into a retriable BackendError naming the operation and keeping the cause', async () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const error = await backend('writing shard 3', async () => {
      throw cause;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).retriable).toBe(true);
    expect((error as BackendError).message).toBe('redis failed during writing shard 3: connect ECONNREFUSED 127.0.0.1:6379');
    expect((error as BackendError).cause).toBe(cause);
  });

  it.each([new TypeError('x is undefined'), new RangeError('Invalid array length'), new ReferenceError('y is not defined')])(
    'lets an error of the code itself through unwrapped (%s), so that it is not retried as a Redis failure',
    async (bug) => {
      await expect(
        backend('writing shard 3', async () => {
          throw bug;
        }),
      ).rejects.toBe(bug);
      expect(isProgramError(bug)).toBe(true);
    },
  );

  it('returns what the call returns', async () => {
    expect(await backend('reading', async () => 42)).toBe(42);
  });
});
