import { describe, expect, it } from 'vitest';
import { deadLetterTopic, parseTopics } from './topics';

describe('parseTopics', () => {
  it('reads topic:format pairs', () => {
    expect(parseTopics('zeek.conn:zeek, eve:suricata,ipscope.backfill:netevent')).toEqual([
      { topic: 'zeek.conn', format: 'zeek' },
      { topic: 'eve', format: 'suricata' },
      { topic: 'ipscope.backfill', format: 'netevent' },
    ]);
  });

  it.each([
    ['', 'at least one'],
    ['zeek.conn', 'format must be one of'],
    ['zeek.conn:pcap', 'format must be one of'],
    ['bad topic:zeek', 'not topic:format'],
    ['a:zeek:x', 'not topic:format'],
    ['a:zeek,a:suricata', 'listed twice'],
  ])('rejects %j', (text, fragment) => {
    expect(() => parseTopics(text)).toThrow(fragment);
  });

  it('names the dead-letter topic after the source', () => {
    expect(deadLetterTopic('zeek.conn')).toBe('zeek.conn.dlq');
  });
});
