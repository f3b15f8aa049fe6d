import type { Admin } from 'kafkajs';

type TopicOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * `admin.fetchTopicOffsets`, retried while the broker answers with a retriable error: right
 * after a topic is created, or while a broker restarts, a partition can briefly have no
 * leader ("This server is not the leader for that topic-partition").
 */
export async function fetchTopicOffsets(admin: Admin, topic: string, attempts = 20): Promise<TopicOffsets> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      const retriable = typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
    }
  }
}
