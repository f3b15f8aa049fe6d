import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { kafkaReachable } from './kafkaProbe';

describe('kafkaReachable', () => {
  it('is true when a broker of the list accepts connections', async () => {
    expect(await kafkaReachable(['127.0.0.1:1', ...inject('kafkaBrokers').split(',')])()).toBe(true);
  });

  it('is false when none does', async () => {
    expect(await kafkaReachable(['127.0.0.1:1', '127.0.0.1:2'], 500)()).toBe(false);
  });
});
