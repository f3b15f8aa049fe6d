import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_MAX_VALUE_BYTES, deadLetterMessage, type DeadLetter } from './deadLetter';

const letter: DeadLetter = {
  raw: Buffer.from('{"ts":'),
  length: 6,
  reason: 'bad_json',
  message: 'message is not valid JSON',
  source: '/data/eve.json:7',
  format: 'suricata',
  field: undefined,
  job: 'j',
};

describe('deadLetterMessage', () => {
  it('keeps the raw bytes and says why and where', () => {
    const { message, bytes } = deadLetterMessage(letter);
    expect(message.value).toEqual(Buffer.from('{"ts":'));
    expect(message.key).toBe('/data/eve.json:7');
    expect(message.headers).toEqual({
      'ipscope-reason': 'bad_json',
      'ipscope-message': 'message is not valid JSON',
      'ipscope-source': '/data/eve.json:7',
      'ipscope-job': 'j',
      'ipscope-format': 'suricata',
    });
    expect(bytes).toBeGreaterThan(6);
  });

  it('cuts a value too big for a Kafka message and records the original length', () => {
    const raw = Buffer.alloc(DEAD_LETTER_MAX_VALUE_BYTES + 10, 0x61);
    const { message } = deadLetterMessage({ ...letter, raw, length: raw.length, field: 'proto' });
    expect((message.value as Buffer).length).toBe(DEAD_LETTER_MAX_VALUE_BYTES);
    expect(message.headers).toMatchObject({ 'ipscope-truncated': String(raw.length), 'ipscope-field': 'proto' });
  });

  it('records the length of a line that was already cut while reading', () => {
    const { message } = deadLetterMessage({ ...letter, raw: Buffer.from('abc'), length: 5_000_000, reason: 'too_large' });
    expect(message.headers).toMatchObject({ 'ipscope-truncated': '5000000', 'ipscope-reason': 'too_large' });
  });
});
