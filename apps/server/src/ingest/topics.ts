/** One consumed topic and the format its messages are in. */
export interface TopicSpec {
  topic: string;
  /** A format of @ipscope/events (`zeek`, `suricata`, `goflow2`, `generic`) or `netevent` (backfill). */
  format: string;
}

export const KNOWN_FORMATS = ['zeek', 'suricata', 'goflow2', 'netevent'] as const;
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Parses `topic:format,topic:format`. Throws an Error naming the bad entry and the
 * formats that would work.
 */
export function parseTopics(text: string): TopicSpec[] {
  const specs: TopicSpec[] = [];
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [topic, format, extra] = entry.split(':');
    if (!topic || !TOPIC_NAME.test(topic) || extra !== undefined) {
      throw new Error(`"${entry}" is not topic:format (topic names use letters, digits, . _ -)`);
    }
    if (!format || !(KNOWN_FORMATS as readonly string[]).includes(format)) {
      throw new Error(`"${entry}": format must be one of ${KNOWN_FORMATS.join(', ')}`);
    }
    if (specs.some((s) => s.topic === topic)) throw new Error(`topic "${topic}" is listed twice`);
    specs.push({ topic, format });
  }
  if (specs.length === 0) throw new Error('name at least one topic:format, e.g. zeek.conn:zeek');
  return specs;
}

/** Where undecodable messages of a topic go. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
