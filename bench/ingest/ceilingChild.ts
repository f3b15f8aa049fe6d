/**
 * Child-process entry of one ceiling run, so the consume-only client runs in its own process
 * like a worker does: `tsx bench/ingest/ceilingChild.ts <kafkajs|platformatic> <json target>`.
 * Prints one JSON line (a ConsumeResult) on stdout.
 */
import { consumeWithKafkajs } from './consumeKafkajs';
import { consumeWithPlatformatic } from './consumePlatformatic';
import type { ConsumeTarget } from './consumeResult';

interface TargetJson {
  brokers: string[];
  topic: string;
  group: string;
  lastOffsets: [number, number][];
  fetchBytes: number;
}

async function main(): Promise<void> {
  const [client, json] = process.argv.slice(2);
  if ((client !== 'kafkajs' && client !== 'platformatic') || json === undefined) {
    throw new Error(`usage: ceilingChild.ts <kafkajs|platformatic> <target json>; got ${JSON.stringify(process.argv.slice(2))}`);
  }
  const parsed = JSON.parse(json) as TargetJson;
  const target: ConsumeTarget = { ...parsed, lastOffsets: new Map(parsed.lastOffsets) };
  const result = client === 'kafkajs' ? await consumeWithKafkajs(target) : await consumeWithPlatformatic(target);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`ceiling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
