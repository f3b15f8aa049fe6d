import { spawn } from 'node:child_process';
import { connectProducer, ensureServices, ensureTopic, publishRecords, repoRoot } from '@ipscope/testkit';
import { e2eDataset, e2eRun, e2eTopic } from './dataset';

/**
 * Playwright's web server: real Redis and Kafka, the run's dataset published to a fresh
 * topic, then the production server (built web app, API and ingest) consuming it.
 */
const runId = e2eRun();
const endpoints = await ensureServices((line) => process.stderr.write(`ipscope: ${line}\n`));
const topic = e2eTopic(runId);
await ensureTopic(endpoints.kafkaBrokers, topic, 3);
const producer = await connectProducer(endpoints.kafkaBrokers);
const sent = await publishRecords(producer, topic, e2eDataset(runId).records);
await producer.disconnect();
process.stderr.write(`ipscope e2e: published ${sent} records to ${topic}\n`);

const server = spawn('node_modules/.bin/tsx', ['apps/server/src/main.ts'], {
  cwd: repoRoot(),
  stdio: 'inherit',
  env: {
    ...process.env,
    REDIS_URL: endpoints.redisUrl,
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    IPSCOPE_PORT: process.env.IPSCOPE_E2E_PORT ?? '18788',
    IPSCOPE_TOPIC: topic,
    IPSCOPE_GROUP: `e2e-${runId}`,
    IPSCOPE_PREFIX: `e2e${runId}`,
  },
});
const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
