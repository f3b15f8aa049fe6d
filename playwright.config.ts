import { defineConfig } from '@playwright/test';

// One id per test run, shared by the runner and its workers (they inherit the environment):
// it names the Kafka topic, consumer group and Redis prefix the run's server uses.
process.env.IPSCOPE_E2E_RUN ??= String(Math.floor(Date.now() / 1000));
const port = Number(process.env.IPSCOPE_E2E_PORT ?? 18788);
process.env.IPSCOPE_E2E_PORT = String(port);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // Specs that count what the dataset holds exactly.
    { name: 'dashboard', testIgnore: /live\.spec\.ts$/ },
    // Publishes more traffic (for an address the dataset never uses) once the others are done.
    { name: 'live', testMatch: /live\.spec\.ts$/, dependencies: ['dashboard'] },
  ],
  webServer: {
    command: 'node_modules/.bin/tsx e2e/support/serve.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
