import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedLogs } from '../helpers/exports.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';
import { CHROMIUM, CHROMIUM_FLAGS, ensureWebBuild } from './web-build.js';

/**
 * The Analytics page and feedback in the log detail panel, in Chromium: figures equal to what was seeded, charts
 * with names and text summaries, top lists that open the Logs page on their logs, the phone layout.
 */

const WS = 'ws-analytics';
const TRACE_ID = 'trace-analytics-feedback';

interface Seed {
  model: string;
  user?: string;
  status: number;
  /** Cents. */
  cost: number;
}
const SEEDS: Seed[] = [
  { model: 'gpt-4o', user: 'alice', status: 200, cost: 2 },
  { model: 'gpt-4o', user: 'alice', status: 200, cost: 2 },
  { model: 'gpt-4o', user: 'bob', status: 500, cost: 0 },
  { model: 'gpt-4o', user: 'alice', status: 200, cost: 2 },
  { model: 'gpt-4o', status: 200, cost: 2 },
  { model: 'gpt-4o-mini', user: 'alice', status: 200, cost: 0.5 },
  { model: 'gpt-4o-mini', user: 'bob', status: 429, cost: 0 },
  { model: 'gpt-4o-mini', user: 'bob', status: 200, cost: 0.5 },
  { model: 'gpt-4o-mini', user: 'alice', status: 200, cost: 0.5 },
  { model: 'claude-3-5-sonnet', user: 'alice', status: 500, cost: 0 },
  { model: 'claude-3-5-sonnet', user: 'bob', status: 200, cost: 3 },
  { model: 'claude-3-5-sonnet', status: 200, cost: 3 },
];
const TOKENS_PER_SUCCESS = 150;
/** Latencies 100, 200 … 1200 ms: p50 600, p90 1100, p99 1200 (nearest rank). */
const latencyOf = (i: number) => 100 * (i + 1);

function seedLog(s: Seed, i: number, now: number) {
  const ok = s.status === 200;
  return chatLog({
    // One log a minute, the newest a minute ago: each in its own minute bucket.
    created_at: new Date(now - (i + 1) * 60_000).toISOString(),
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', body: openAiChatRequest(s.model) },
    response: {
      status: s.status,
      body: ok
        ? openAiChatResponse(s.model, { prompt_tokens: 100, completion_tokens: 50, total_tokens: TOKENS_PER_SUCCESS })
        : { error: { message: 'upstream refused', type: 'api_error' } },
      response_time: latencyOf(i),
    },
    metadata: {
      cost: s.cost,
      team: i % 3 === 0 ? 'ads' : 'search',
      ...(s.user && { _user: s.user }),
      ...(i === 0 && { trace_id: TRACE_ID }),
    },
  });
}

const usd = (cents: number) => `$${(cents / 100).toFixed(4)}`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const costOf = (pick: (s: Seed) => boolean) => sum(SEEDS.filter(pick).map((x) => x.cost));

describe('Analytics page and feedback in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const now = Date.now();
  const times = SEEDS.map((_, i) => now - (i + 1) * 60_000);
  let ids: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource|ERR_ABORTED|aborted/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  };
  async function signIn(p: Page): Promise<void> {
    await p.getByRole('heading', { name: 'Sign in to Logport' }).waitFor();
    await p.getByLabel('API key').fill(ROOT_KEY);
    await p.getByLabel('Workspace').fill(WS);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }
  const chart = (p: Page, name: string) => p.getByRole('region', { name, exact: true });
  const chartSummary = (p: Page, name: string) => chart(p, name).locator('.chart-summary').textContent();
  const tableRows = (p: Page, name: string) =>
    p
      .getByRole('table', { name, exact: true })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));

  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
    ensureWebBuild();
    s = await startTestServer();
    ids = await seedLogs(
      s,
      SEEDS.map((seed, i) => seedLog(seed, i, now)),
      { workspace: WS },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the seeded totals in named charts and top lists, over the last week by default', async () => {
    await page.goto(`${s.url}/#/analytics`);
    await signIn(page);
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.url()).toContain('#/analytics?range=7d');
    expect(await page.getByLabel('Period').inputValue()).toBe('7d');

    await expect.poll(() => chartSummary(page, 'Requests')).toBe('Total: 12 requests.');
    const cost = sum(SEEDS.map((x) => x.cost));
    expect(await chartSummary(page, 'Cost')).toBe(`Total: ${usd(cost)}, ${usd(cost / SEEDS.length)} per request on average.`);
    const successes = SEEDS.filter((x) => x.status === 200).length;
    expect(await chartSummary(page, 'Tokens')).toBe(
      `Total: ${(successes * TOKENS_PER_SUCCESS).toLocaleString('en-US')} tokens, ${Math.round((successes * TOKENS_PER_SUCCESS) / SEEDS.length)} per request on average.`,
    );
    expect(await chartSummary(page, 'Errors by status code')).toBe('Total: 3 errors (2 × 500, 1 × 429).');
    // Percentiles come from latency histograms (within 1%).
    const latency = (await chartSummary(page, 'Latency'))!;
    const pcts = Object.fromEntries([...latency.matchAll(/(p\d\d) ([\d.]+) (ms|s)/g)].map((m) => [m[1], Number(m[2]) * (m[3] === 's' ? 1000 : 1)]));
    expect(Object.keys(pcts)).toEqual(['p50', 'p90', 'p99']);
    for (const [k, exact] of [
      ['p50', 600],
      ['p90', 1100],
      ['p99', 1200],
    ] as const)
      expect(Math.abs(pcts[k]! - exact) / exact).toBeLessThan(0.015);

    // Every chart is a named picture described by its summary, drawn on a canvas as wide as its card.
    for (const name of ['Requests', 'Cost', 'Tokens', 'Latency', 'Errors by status code']) {
      const img = chart(page, name).getByRole('img');
      expect(await img.getAttribute('aria-label')).toMatch(new RegExp(`^${name}, one (bar|point) per day$`));
      const describedBy = await img.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(await chartSummary(page, name));
      await expect
        .poll(async () => Math.abs(((await img.locator('canvas').boundingBox())?.width ?? 0) - ((await img.boundingBox())?.width ?? 0)))
        .toBeLessThan(2);
    }
    // A narrower window: one column of cards instead of two, and the charts follow their cards' new width.
    const plotWidth = async () => (await chart(page, 'Requests').locator('canvas').boundingBox())?.width ?? 0;
    const wide = await plotWidth();
    await page.setViewportSize({ width: 1000, height: 900 });
    await expect.poll(async () => Math.abs((await plotWidth()) - ((await chart(page, 'Requests').getByRole('img').boundingBox())?.width ?? 0))).toBeLessThan(2);
    expect(Math.abs((await plotWidth()) - wide)).toBeGreaterThan(100);
    await page.setViewportSize({ width: 1440, height: 900 });

    // The data table behind the requests chart adds up to the total.
    const requestRows = await chart(page, 'Requests')
      .locator('.chart-data tbody td')
      .allTextContents()
      .then((cells) => cells.map(Number));
    expect(sum(requestRows)).toBe(12);

    expect(await tableRows(page, 'Top models')).toEqual([
      ['gpt-4o', '5', usd(costOf((x) => x.model === 'gpt-4o'))],
      ['gpt-4o-mini', '4', usd(costOf((x) => x.model === 'gpt-4o-mini'))],
      ['claude-3-5-sonnet', '3', usd(costOf((x) => x.model === 'claude-3-5-sonnet'))],
    ]);
    expect(await tableRows(page, 'Top users')).toEqual([
      ['alice', '6', usd(costOf((x) => x.user === 'alice'))],
      ['bob', '4', usd(costOf((x) => x.user === 'bob'))],
    ]);
    expect(await page.getByRole('heading', { name: 'Top metadata values' }).count()).toBe(1);
  });

  it('lists the top values of a chosen metadata key, kept in the URL', async () => {
    const team = (ads: boolean) => {
      const of = SEEDS.filter((_, i) => (i % 3 === 0) === ads);
      return { cost: sum(of.map((x) => x.cost)), tokens: of.filter((x) => x.status === 200).length * TOKENS_PER_SUCCESS };
    };
    await page.getByLabel('Metadata key').fill('team');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('key=team');
    await expect
      .poll(() => tableRows(page, 'Top values of team'))
      .toEqual([
        ['search', '8', usd(team(false).cost), String(Math.round(team(false).tokens / 8))],
        ['ads', '4', usd(team(true).cost), String(Math.round(team(true).tokens / 4))],
      ]);
    await page.reload();
    await expect.poll(() => tableRows(page, 'Top values of team')).toHaveLength(2);
    expect(await page.getByLabel('Metadata key').inputValue()).toBe('team');
  });

  it('a model row opens the Logs page filtered to exactly that model', async () => {
    await page.getByRole('table', { name: 'Top models' }).getByRole('link', { name: 'gpt-4o', exact: true }).click();
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.summary').first().textContent()).toBe('Showing 5 of 5 logs');
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('"gpt-4o"');
    expect(new Set(await page.locator('td[data-col="model"]').allTextContents())).toEqual(new Set(['gpt-4o']));
    expect(page.url()).toContain('range=7d');

    await page.goBack();
    await page.getByRole('table', { name: 'Top users' }).locator('tr', { hasText: 'bob' }).locator('td').first().click();
    await expect.poll(() => page.locator('.summary').first().textContent()).toBe('Showing 4 of 4 logs');
    expect(await page.getByLabel('Metadata', { exact: true }).inputValue()).toBe('_user=bob');
  });

  it('a bar opens the logs of its bucket; a filter narrows every figure', async () => {
    await page.goto(`${s.url}/#/analytics?range=1h&model=gpt-4o-mini`);
    await expect.poll(() => chartSummary(page, 'Requests')).toBe('Total: 4 requests.');
    expect(await chartSummary(page, 'Errors by status code')).toBe('Total: 1 error (1 × 429).');
    expect(await chart(page, 'Requests').getByRole('img').getAttribute('aria-label')).toBe('Requests, one bar per minute');

    // Click where a gpt-4o-mini log's minute is drawn: the data table's links name each bucket's range, in order.
    const target = times[6]!;
    const hrefs = await chart(page, 'Requests')
      .locator('tbody a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const index = hrefs.findIndex((href) => {
      const q = new URLSearchParams(href.split('?')[1]);
      return Date.parse(q.get('from')!) <= target && target <= Date.parse(q.get('to')!);
    });
    expect(index).toBeGreaterThan(0);
    const over = chart(page, 'Requests').locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.click({ position: { x: ((index + 0.5) / hrefs.length) * box.width, y: box.height / 2 } });
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    const q = new URLSearchParams(page.url().split('?')[1]);
    const [bucketFrom, bucketTo] = [Date.parse(q.get('from')!), Date.parse(q.get('to')!)];
    expect(bucketTo - bucketFrom).toBeLessThan(60_000);
    expect(q.get('model')).toBe('gpt-4o-mini');
    const expected = SEEDS.filter((x, i) => x.model === 'gpt-4o-mini' && times[i]! >= bucketFrom && times[i]! <= bucketTo).length;
    await expect
      .poll(() => page.locator('.summary').first().textContent())
      .toBe(expected ? `Showing ${expected} of ${expected} logs` : 'No logs match these filters.');
    expect(expected).toBe(1);
  });

  it('asks for a bounded range, shows progress and load errors', async () => {
    await page.goto(`${s.url}/#/analytics?range=24h`);
    await expect.poll(() => chartSummary(page, 'Requests')).toBe('Total: 12 requests.');
    await page.getByLabel('Period').selectOption('all');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Choose a time range with a start' }).count()).toBe(1);

    await page.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('query Analytics(')) return route.continue();
      await new Promise((r) => setTimeout(r, 1500));
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'the database is away', extensions: { code: 'INTERNAL' } }] }),
      });
    });
    await page.getByLabel('Period').selectOption('1h');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').filter({ hasText: 'Loading analytics…' }).waitFor();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Could not load analytics: the database is away' }).count()).toBe(1);
    await page.unroute('**/graphql');
  });

  it('adds feedback from the log detail panel and shows the weighted feedback', async () => {
    await page.goto(`${s.url}/#/logs?log=${ids[0]}`);
    const panel = page.getByRole('complementary', { name: 'Log details' });
    const feedback = panel.getByRole('region', { name: 'Feedback' });
    await feedback.waitFor();
    expect(await feedback.locator('.feedback-weighted').textContent()).toBe('No feedback yet.');

    await feedback.getByLabel('Value').fill('11');
    await feedback.getByRole('button', { name: 'Add feedback' }).click();
    await expect.poll(() => feedback.getByRole('alert').textContent()).toBe('The value must be a whole number from -10 to 10.');

    await feedback.getByLabel('Value').fill('8');
    await feedback.getByLabel('Weight').fill('0.5');
    await feedback.getByRole('button', { name: 'Add feedback' }).click();
    await expect.poll(() => feedback.locator('.feedback-weighted').textContent()).toBe('Weighted feedback: 8 (1 score)');
    await feedback.getByLabel('Value').fill('-2');
    await feedback.getByRole('button', { name: 'Add feedback' }).click();
    // (8 × 0.5 − 2 × 1) / 1.5
    await expect.poll(() => feedback.locator('.feedback-weighted').textContent()).toBe('Weighted feedback: 1.33 (2 scores)');
    const items = await feedback.getByRole('list', { name: 'Feedback given' }).getByRole('listitem').allTextContents();
    expect(items.map((t) => t.split(' · ').slice(0, 2).join(' · '))).toEqual(['+8 · weight 0.5', '-2 · weight 1']);

    // Stored: a reload shows it, and a log without a trace says why it cannot take feedback.
    await page.reload();
    await expect.poll(() => feedback.locator('.feedback-weighted').textContent()).toBe('Weighted feedback: 1.33 (2 scores)');
    await page.goto(`${s.url}/#/logs?log=${ids[1]}`);
    await expect.poll(() => feedback.textContent()).toContain('this log has no trace ID');
  });

  it('works on a phone: no sideways scrolling, charts as wide as the screen allows', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    watch(p);
    await p.goto(`${s.url}/#/analytics?range=24h`);
    await signIn(p);
    await expect.poll(() => chartSummary(p, 'Requests')).toBe('Total: 12 requests.');
    expect(await p.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Requests',
      'Cost',
      'Tokens',
      'Latency',
      'Errors by status code',
      'Top models',
      'Top users',
      'Top metadata values',
    ]);
    await p.waitForTimeout(300);
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
    for (const name of ['Requests', 'Latency']) {
      const img = chart(p, name).getByRole('img');
      const [canvas, box] = [await img.locator('canvas').boundingBox(), await img.boundingBox()];
      expect(canvas!.width).toBeGreaterThan(250);
      expect(Math.abs(canvas!.width - box!.width)).toBeLessThan(2);
    }
    expect(await tableRows(p, 'Top models')).toHaveLength(3);
    await phone.close();
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
