import type { Producer } from 'kafkajs';
import type { DeadLetter } from './batchDecoder';
import { deadLetterTopic } from './topics';

/**
 * Sends undecodable messages to `<topic>.dlq` with their raw bytes and, as headers, the
 * reason and where they came from, so nothing is lost and an operator can replay them.
 */
export async function sendDeadLetters(producer: Producer, topic: string, partition: number, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic: deadLetterTopic(topic),
    acks: -1,
    messages: letters.map((letter) => ({
      value: letter.value,
      headers: {
        'ipscope-reason': letter.reason,
        'ipscope-message': letter.message.slice(0, 1000),
        'ipscope-source-topic': topic,
        'ipscope-source-partition': String(partition),
        'ipscope-source-offset': letter.offset,
        'ipscope-dead-lettered-at': new Date().toISOString(),
      },
    })),
  });
}
