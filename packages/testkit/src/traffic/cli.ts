import { runLiveTraffic } from './publish';

/** `pnpm traffic [--rate N] [--history SECONDS] [--topic NAME]`: live demo traffic into Kafka. */
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`ipscope traffic: --${name} must be a non-negative number, got "${process.argv[i + 1]}"\n`);
    process.exit(2);
  }
  return value;
}

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  process.stderr.write('ipscope traffic: KAFKA_BROKERS is not set (run `pnpm services env` for it)\n');
  process.exit(2);
}
const topicIndex = process.argv.indexOf('--topic');
const topic = topicIndex >= 0 ? (process.argv[topicIndex + 1] ?? 'zeek.conn') : (process.env.IPSCOPE_TOPIC ?? 'zeek.conn');
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
runLiveTraffic({
  brokers,
  topic,
  rate: option('rate', 200),
  history: option('history', 6 * 3600),
  signal: controller.signal,
  log: (line) => process.stderr.write(`ipscope: ${line}\n`),
}).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`ipscope traffic: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
