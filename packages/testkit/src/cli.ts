import { ensureServices, serviceStatus, stopServices } from './services';

const usage = `usage: pnpm services <up|down|status|env>
  up      start Redis and Kafka (or reuse running ones) and print where they are
  down    stop the Redis and Kafka this project started
  status  say whether each is up
  env     print REDIS_URL and KAFKA_BROKERS as shell exports (starting them if needed)`;

const log = (line: string) => process.stderr.write(`ipscope: ${line}\n`);

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      const endpoints = await ensureServices(log);
      process.stdout.write(`REDIS_URL=${endpoints.redisUrl}\nKAFKA_BROKERS=${endpoints.kafkaBrokers}\n`);
      return 0;
    }
    case 'env': {
      const endpoints = await ensureServices(log);
      process.stdout.write(`export REDIS_URL=${endpoints.redisUrl}\nexport KAFKA_BROKERS=${endpoints.kafkaBrokers}\n`);
      return 0;
    }
    case 'down':
      await stopServices(log);
      return 0;
    case 'status': {
      const status = await serviceStatus();
      process.stdout.write(`redis: ${status.redis}\nkafka: ${status.kafka}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ipscope: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
