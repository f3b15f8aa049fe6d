import { e2eDataset, e2eGroup, e2ePrefix, e2eRun, e2eTopic } from './dataset';
import { seedAlert } from './seedAlert';
import { startStack } from './stack';

/**
 * Playwright's web server: real Redis and Kafka, the run's dataset published to a fresh
 * topic, the production server (built web app, API and ingest) consuming it, and one alert
 * written through the real alert store for the journey to acknowledge.
 */
const runId = e2eRun();
const { records } = e2eDataset(runId);
const stack = await startStack({
  topic: e2eTopic(runId),
  prefix: e2ePrefix(runId),
  group: e2eGroup(runId),
  port: Number(process.env.IPSCOPE_E2E_PORT ?? 18788),
  records,
});
await seedAlert(stack.endpoints.redisUrl, e2ePrefix(runId), runId, records);
process.stderr.write('ipscope e2e: alert seeded\n');

const stop = () => void stack.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
stack.server.on('exit', (code) => process.exit(code ?? 0));
