import type { TestProject } from 'vitest/node';
import { ensureServices } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    kafkaBrokers: string;
  }
}

/** Integration tests get the real services: `inject('redisUrl')`, `inject('kafkaBrokers')`. */
export default async function setup(project: TestProject): Promise<void> {
  const endpoints = await ensureServices((line) => process.stderr.write(`ipscope: ${line}\n`));
  project.provide('redisUrl', endpoints.redisUrl);
  project.provide('kafkaBrokers', endpoints.kafkaBrokers);
}
