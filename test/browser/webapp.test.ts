import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { COMMON_FIELDS, parseJsonl, seedLogs } from '../helpers/exports.js';
import { gql } from '../helpers/graphql.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';
import { CHROMIUM, CHROMIUM_FLAGS, ensureWebBuild } from './web-build.js';

/**
 * The web app in a real browser: Logport runs in-process and serves the production build; Debian's
 * Chromium is driven with playwright-core. The steps share one page and run in order.
 */

const WS = 'ws-web';
const TRACE_ID = 'trace-web-checkout';
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
/** What the export form preselects: the seed's example selection. */
const DEFAULT_FIELDS = COMMON_FIELDS;

interface Spec {
  model: string;
  provider: string;
  status: number;
  env: 'prod' | 'dev';
}
const MODELS: [string, string][] = [
  ['mistral-large', 'mistral-ai'],
  ['gpt-4o-mini', 'openai'],
  ['gpt-4o', 'openai'],
];
/** 30 plain logs, newest first: three models, some 429s and 500s, two environments. */
const PLAIN: Spec[] = Array.from({ length: 30 }, (_, i) => ({
  model: MODELS[i % 3]![0],
  provider: MODELS[i % 3]![1],
  status: i % 10 === 7 ? 500 : i % 10 === 3 ? 429 : 200,
  env: i % 2 ? 'dev' : 'prod',
}));

function plainLog(s: Spec, i: number, now: number) {
  const ok = s.status === 200;
  return chatLog({
    created_at: new Date(now - (i + 2) * 60_000).toISOString(),
    request: { url: 'https://api.openai.com/v1/chat/completions', provider: s.provider, method: 'POST', body: openAiChatRequest(s.model) },
    response: {
      status: s.status,
      body: ok
        ? openAiChatResponse(s.model, { prompt_tokens: 100 + i, completion_tokens: 20 + i, total_tokens: 120 + 2 * i })
        : { error: { message: 'upstream refused', type: 'api_error' } },
      response_time: 300 + 10 * i,
    },
    metadata: { env: s.env, _user: `user-${i}`, cost: ok ? 0.25 : 0 },
  });
}

/** A three-level trace: checkout-agent > plan-order > fetch-inventory (fails), and format-reply under the root. */
function traceLogs(now: number) {
  const span = (spanId: string, parent: string | undefined, name: string, offsetMs: number, ms: number, status = 200) =>
    chatLog({
      created_at: new Date(now - 30_000 + offsetMs).toISOString(),
      response: {
        status,
        body:
          status === 200
            ? openAiChatResponse('gpt-4o-2024-08-06', { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 })
            : { error: { message: 'inventory service unavailable' } },
        response_time: ms,
      },
      metadata: { trace_id: TRACE_ID, span_id: spanId, span_name: name, env: 'prod', ...(parent && { parent_span_id: parent }) },
    });
  return [
    span('sp-root', undefined, 'checkout-agent', 0, 2400),
    span('sp-plan', 'sp-root', 'plan-order', 200, 900),
    span('sp-inventory', 'sp-plan', 'fetch-inventory', 500, 300, 500),
    span('sp-reply', 'sp-root', 'format-reply', 1500, 700),
  ];
}

const TOTAL = PLAIN.length + 4;

describe('web app in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  /** Text frames the page received over WebSockets (the graphql-ws subscription). */
  const wsFrames: string[] = [];
  let traceIds: Record<string, string> = {};

  const shoot = async (name: string) => {
    if (process.env.CI) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  };
  const exportRow = (id: string) => page.locator(`tr[data-export-id="${id}"]`);
  const summary = () => page.locator('.summary').textContent();
  const logRows = () => page.locator('.logs-table tbody tr');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    }
    ensureWebBuild();
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    const now = Date.now();
    await seedLogs(
      s,
      PLAIN.map((p, i) => plainLog(p, i, now)),
      { workspace: WS },
    );
    const ids = await seedLogs(s, traceLogs(now), { workspace: WS });
    traceIds = { root: ids[0]!, plan: ids[1]!, inventory: ids[2]!, reply: ids[3]! };
    // Another workspace's logs must never show up in ws-web.
    await seedLogs(s, [chatLog(), chatLog()], { workspace: 'default' });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // The bad-key attempt is an expected failed request; anything else logged as an error is a bug.
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && wsFrames.push(f.payload)));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('serves the build at / with caching headers, next to the API', async () => {
    const index = await fetch(`${s.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${s.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Node's fetch asks for gzip (and br where it supports it): a precompressed copy is sent.
    expect(js.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    expect(js.headers.get('vary')).toBe('Accept-Encoding');
    await js.arrayBuffer();
    const fallback = await fetch(`${s.url}/exports`);
    expect([fallback.status, fallback.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await fallback.text()).toBe(html);
    const api = await fetch(`${s.url}/v1/nothing-here`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('signs in: a wrong key is refused with a message, the right one opens the page that was asked for', async () => {
    await page.goto(`${s.url}/#/exports`);
    await page.getByRole('heading', { name: 'Sign in to Logport' }).waitFor();
    await page.getByLabel('API key').fill('not-a-real-key-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not valid/i);
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('API key').fill(ROOT_KEY);
    await page.getByLabel('Workspace').fill(WS);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Exports', level: 1 }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("logport.apiKey")')).toBe(ROOT_KEY);
    expect(await page.getByRole('link', { name: 'Exports' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByLabel('Workspace').inputValue()).toBe(WS);
  });

  let exportId = '';
  it('requests an export of the seeded logs and watches it reach Success live', async () => {
    // Keyboard: Enter opens the dialog, Escape closes it and focus returns to the button.
    await page.getByRole('button', { name: 'Request Data' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Request Data' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Request Data');

    await page.getByRole('button', { name: 'Request Data' }).click();
    await dialog.waitFor();
    for (const label of ['Period', 'Maximum number of logs', 'Custom offset', 'Format', 'Compression']) {
      expect(await dialog.getByLabel(label, { exact: true }).count()).toBe(1);
    }
    // Every export field has a checkbox: 36 current names, and the 7 older aliases in a collapsed group.
    expect(await dialog.getByRole('checkbox').count()).toBe(36);
    expect(await dialog.locator('input[type=checkbox]').count()).toBe(43);
    const checked = await dialog.locator('input[type=checkbox]:checked').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(checked).toEqual(DEFAULT_FIELDS);
    await dialog.getByLabel('Description (optional)').fill('All seeded logs');
    await shoot('webapp-request-data.png');
    await dialog.getByRole('button', { name: 'Request Export' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.locator('tr[data-export-id]').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('DRAFT');
    exportId = (await row.getAttribute('data-export-id'))!;
    expect(await page.locator('.notice-area').textContent()).toContain(`${TOTAL} matching logs`);
    expect(await exportRow(exportId).locator('.badge').textContent()).toBe('Draft');

    await exportRow(exportId).getByRole('button', { name: 'Start All seeded logs' }).click();
    await expect.poll(() => exportRow(exportId).getAttribute('data-status'), { timeout: 20_000 }).toBe('SUCCESS');
    expect(await exportRow(exportId).locator('.badge').textContent()).toBe('Success');
    // Success arrived over the graphql-ws subscription (the page never polls).
    const live = wsFrames.map((f) => JSON.parse(f)).filter((m) => m.type === 'next' && m.payload?.data?.exportStatusChanged?.id === exportId);
    expect(live.map((m) => m.payload.data.exportStatusChanged.status)).toContain('SUCCESS');
  });

  it('downloads the finished export: one JSON line per seeded log', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportRow(exportId)
        .getByRole('link', { name: /^Download/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const rows = parseJsonl(text);
    expect(rows).toHaveLength(TOTAL);
    expect(Object.keys(rows[0])).toEqual(DEFAULT_FIELDS);
  });

  it('starts a stopped export again', async () => {
    await page.getByRole('button', { name: 'Request Data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Request Data' });
    await dialog.getByLabel('Description (optional)').fill('Five newest');
    await dialog.getByLabel('Maximum number of logs').fill('5');
    await dialog.getByRole('button', { name: 'Request Export' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('tr[data-export-id]').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('DRAFT');
    const id = (await row.getAttribute('data-export-id'))!;
    expect(id).not.toBe(exportId);

    // Stopped elsewhere (another tab, the API): the list shows it after a refresh, with Start Again.
    const cancelled = await gql(s.url, 'mutation($id: ID!) { cancelExport(id: $id) { status } }', { id });
    expect(cancelled.body.data.cancelExport.status).toBe('STOPPED');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => exportRow(id).getAttribute('data-status')).toBe('STOPPED');
    expect(await exportRow(id).locator('.badge').textContent()).toBe('Stopped');

    await exportRow(id).getByRole('button', { name: 'Start Again Five newest' }).click();
    await expect.poll(() => exportRow(id).getAttribute('data-status'), { timeout: 20_000 }).toBe('SUCCESS');
    expect(await exportRow(id).locator('td.num').textContent()).toBe('5');
    await shoot('webapp-exports.png');
  });

  it('lists logs newest first, pages with Load more and filters them', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs', exact: true }).click();
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await expect.poll(summary).toBe(`Showing 25 of ${TOTAL} logs`);
    const times = await page.locator('.logs-table tbody time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(times).toEqual([...times].sort().reverse());
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(summary).toBe(`Showing ${TOTAL} of ${TOTAL} logs`);
    expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);

    const apply = () => page.getByRole('button', { name: 'Apply filters' }).click();
    const mistral = PLAIN.filter((p) => p.model === 'mistral-large').length;
    await page.getByLabel('Model', { exact: true }).fill('mistral-large');
    await apply();
    await expect.poll(summary).toBe(`Showing ${mistral} of ${mistral} logs`);
    expect(new Set(await logRows().locator('td[data-col="model"]').allTextContents())).toEqual(new Set(['mistral-large']));

    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(summary).toBe(`Showing 25 of ${TOTAL} logs`);
    const failedDev = PLAIN.filter((p) => p.status !== 200 && p.env === 'dev').length;
    await page.getByLabel('Success').selectOption('false');
    await page.getByLabel('Metadata').fill('env=dev');
    await apply();
    await expect.poll(summary).toBe(`Showing ${failedDev} of ${failedDev} logs`);
    const serverErrors = PLAIN.filter((p) => p.status === 500 && p.env === 'dev').length;
    await page.getByLabel('Status code').fill('500');
    await apply();
    await expect.poll(summary).toBe(serverErrors ? `Showing ${serverErrors} of ${serverErrors} logs` : 'No logs match these filters.');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByLabel('Trace ID', { exact: true }).fill(TRACE_ID);
    await apply();
    await expect.poll(summary).toBe('Showing 4 of 4 logs');

    // The detail panel: bodies pretty-printed, derived fields with the cost's provenance.
    await page.locator(`tr[data-log-id="${traceIds.plan}"] button`).first().click();
    const panel = page.getByRole('complementary', { name: 'Log details' });
    await panel.getByRole('heading', { name: 'plan-order' }).waitFor();
    const facts = await panel.locator('.facts').first().textContent();
    expect(facts).toContain('50 in · 10 out · 60 total');
    expect(facts).toMatch(/computed from the price table|reported by the client/);
    expect(facts).toContain('900 ms');
    // Bodies show as a conversation first; Raw JSON shows them pretty-printed.
    await panel.getByRole('list', { name: 'Conversation' }).waitFor();
    await panel.getByRole('button', { name: 'Raw JSON' }).click();
    const request = await panel.getByRole('region', { name: 'Request', exact: true }).locator('pre').textContent();
    expect(request).toContain('\n    "messages": [');
    expect(await panel.getByRole('region', { name: 'Response', exact: true }).locator('pre').textContent()).toContain('"completion_tokens": 10');
    await shoot('webapp-logs.png');
  });

  it('opens the trace: the span tree with depths, durations and the failed span highlighted', async () => {
    await page.locator(`tr[data-log-id="${traceIds.plan}"] a.trace-link`).click();
    await page.getByRole('heading', { name: `Trace ${TRACE_ID}` }).waitFor();
    const rows = page.locator('.span-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const tree = await rows.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-log-id'), e.getAttribute('data-depth'), e.classList.contains('row-error')]),
    );
    expect(tree).toEqual([
      [traceIds.root, '0', false],
      [traceIds.plan, '1', false],
      [traceIds.inventory, '2', true],
      [traceIds.reply, '1', false],
    ]);
    const failed = page.locator(`tr[data-log-id="${traceIds.inventory}"]`);
    expect(await failed.locator('.badge').textContent()).toBe('500 · error');
    expect(await failed.locator('td.num').allTextContents()).toEqual(['+500 ms', '300 ms']);
    expect(await page.locator('main [aria-live]').first().textContent()).toContain('1 error');
    // The log opened from the table is selected; each span opens its own log.
    await page.getByRole('heading', { name: 'plan-order' }).waitFor();
    expect(await page.locator('.span-table tr.selected').getAttribute('data-log-id')).toBe(traceIds.plan);
    await page.getByRole('button', { name: /^Open log of span fetch-inventory/ }).click();
    const panel = page.getByRole('complementary', { name: 'Span details' });
    await panel.getByRole('heading', { name: 'fetch-inventory' }).waitFor();
    expect(await panel.locator('.facts').first().textContent()).toContain(traceIds.inventory);
    expect(page.url()).toContain(`log=${traceIds.inventory}`);
    await shoot('webapp-trace.png');
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
