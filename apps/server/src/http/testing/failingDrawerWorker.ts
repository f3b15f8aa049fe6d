/**
 * A drawing thread for tests: the real one (`chartDrawerWorker.ts`), except that the first share
 * of a page drawn at width 321 makes its thread exit with code 7 before it draws, as a thread
 * that crashes (the other threads draw their shares).
 */
import { parentPort } from 'node:worker_threads';
import type { DrawerRequest } from '../chartDrawer';

export const FAILING_WIDTH = 321;

parentPort?.on('message', (request: DrawerRequest) => {
  if (request.share === 0 && request.job.width === FAILING_WIDTH) process.exit(7);
});
await import('../chartDrawerWorker');
