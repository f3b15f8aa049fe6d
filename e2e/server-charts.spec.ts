import { e2eDataset, e2eRun, expectedResponders } from './support/dataset';
import { chartsDrawn, expect, test } from './support/fixtures';

const runId = e2eRun();
const { from, to, records } = e2eDataset(runId);
const [ip] = expectedResponders(records)[0]!;
const view = `?from=${from}&to=${to}&live=0`;

/** The charts of the page: how many, and what each says about the server's drawing. */
const chartStates = (page: import('@playwright/test').Page) =>
  page.evaluate(`[...document.querySelectorAll('[data-testid="metric-chart"] [data-testid^="chart-"]')].map((el) => el.dataset.serverDrawing ?? 'none')`) as Promise<string[]>;

test('the IP page arrives with its charts drawn by the server, painted before the app runs, then taken over by the interactive charts', async ({ page, browserErrors }) => {
  await page.goto(`/ip/${ip}${view}`);
  await chartsDrawn(page);
  const marks = (await page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))`)) as Record<string, number>;
  // The drawings were parsed and painted before the app's code ran (its first mark), and before the charts drew themselves.
  expect(marks['ipscope:server-charts-painted']).toBeGreaterThan(0);
  expect(marks['ipscope:server-charts-painted']!).toBeLessThan(marks['ipscope:app-start']!);
  expect(marks['ipscope:server-charts-painted']!).toBeLessThan(marks['ipscope:charts-drawn']!);
  // Every chart the page draws had a server drawing of itself, and has replaced it with its own.
  const states = await chartStates(page);
  expect(states.length).toBeGreaterThan(1);
  expect(states.every((s) => s === 'replaced')).toBe(true);
  await expect(page.locator('#ipscope-server-charts')).toHaveCount(0);
  await expect(page.locator('.server-chart-overlay svg')).toHaveCount(0);
  // The inline mark runs under the page's script policy (allowed by its hash): no violation, no error.
  expect(browserErrors).toEqual({ console: [], page: [] });
});

test('the HTML itself holds one drawing per drawn chart, in the theme of the theme cookie, with the accessible name of each', async ({ request }) => {
  const dark = await (await request.get(`/ip/${ip}${view}`)).text();
  const block = /<div id="ipscope-server-charts"[^>]*data-theme="(\w+)"[^>]*>/.exec(dark);
  expect(block?.[1]).toBe('dark');
  const drawn = [...dark.matchAll(/<figure class="metric-chart server-chart" data-chart="chart-([^"]+)" role="img" aria-label="Chart of ([^,"]+), drawn by the server">/g)];
  expect(drawn.length).toBeGreaterThan(1);
  expect(drawn.every((m) => m[1] === m[2])).toBe(true);
  expect(dark.match(/<svg /g)?.length).toBe(drawn.length);

  // The same page for a browser in the light theme (the page writes the cookie when the analyst switches).
  const light = await (await request.get(`/ip/${ip}${view}`, { headers: { cookie: 'ipscope-theme=light' } })).text();
  expect(/<html[^>]*data-theme="light"/.test(light)).toBe(true);
  expect(/<div id="ipscope-server-charts"[^>]*data-theme="light"/.test(light)).toBe(true);
  const titleFill = (html: string) => /<text[^>]*fill="([^"]+)"[^>]*>conn\.count\.resp<\/text>/.exec(html)?.[1];
  expect(titleFill(dark)).toBeDefined();
  expect(titleFill(light)).toBeDefined();
  expect(titleFill(light)).not.toBe(titleFill(dark));
});

test('a light-theme page takes over its light drawings; a zoom pressed as soon as the page can be used is kept', async ({ page, browserErrors }) => {
  // The analyst switches to the light theme on the overview: the app remembers it (storage, and the cookie the server
  // draws by). Switched through the app once it runs, so its first render cannot write the dark default over it.
  await page.goto('/');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect.poll(() => page.evaluate(`document.documentElement.dataset.theme`)).toBe('light');
  expect((await page.context().cookies()).find((c) => c.name === 'ipscope-theme')?.value).toBe('light');
  await page.goto(`/ip/${ip}${view}`);
  // As soon as the button exists (the charts may still be the server's drawings), zoom in.
  await page.getByTestId('zoom-in').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('zoom'), { timeout: 15_000 }).not.toBeNull();
  const zoom = new URL(page.url()).searchParams.get('zoom')!;
  // The charts on screen show the zoomed window, drawn by themselves (light), none by the server.
  await expect(page.locator('[data-testid="metric-chart"] [data-testid^="chart-"]').first()).toHaveAttribute('data-window', zoom, { timeout: 30_000 });
  await chartsDrawn(page);
  expect(await page.evaluate(`document.documentElement.dataset.theme`)).toBe('light');
  await expect(page.locator('.server-chart-overlay svg')).toHaveCount(0);
  const states = await chartStates(page);
  expect(states.length).toBeGreaterThan(1);
  expect(states.every((s) => s === 'replaced')).toBe(true);
  expect(browserErrors).toEqual({ console: [], page: [] });
});
