import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { consumeRange } from './offsetRange';
import { fetchTopicOffsets } from '../kafka/topicOffsets';

/** One committed record of a topic, with its headers as text. */
export interface TopicRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads every committed record a topic holds now (read-committed, from each
 * partition's start to its current end), in offset order per partition.
 * Meant for inspecting a backfill's output (tests, operators' scripts): it
 * holds the whole topic in memory.
 */
export async function readWholeTopic(kafka: Kafka, admin: Admin, topic: string): Promise<TopicRecord[]> {
  const offsets = await fetchTopicOffsets(admin, topic);
  const records: TopicRecord[] = [];
  await consumeRange({
    kafka,
    topic,
    ranges: offsets.map((o) => ({ partition: o.partition, from: o.low, to: o.high })),
    groupPrefix: `ipscope-read-${topic}`,
    onMessages: async (partition, messages) => {
      for (const m of messages) records.push({ partition, offset: m.offset, key: m.key, value: m.value, headers: headerText(m.headers) });
    },
  });
  return records;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) text[name] = first.toString();
  }
  return text;
}
