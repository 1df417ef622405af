import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedLogs } from '../helpers/exports.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';
import { CHROMIUM, CHROMIUM_FLAGS, ensureWebBuild } from './web-build.js';

/**
 * Daily use of the web app in Chromium: views kept in the URL (reload, a shared link, back/forward), loading and
 * cancelling, sorting and columns, conversations in the detail panel, the traces list, suggestions, body search,
 * live tail, the dark theme, and the phone layout (390x844).
 */

const WS = 'ws-views';
const TRACE_ID = 'trace-views-agent-0123456789abcdef';
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet-20241022'];

function plain(i: number, now: number) {
  const model = MODELS[i % 3]!;
  const ok = i % 7 !== 3;
  return chatLog({
    created_at: new Date(now - (i + 5) * 60_000).toISOString(),
    request: {
      url: 'https://api.openai.com/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-secret-value' },
      body: openAiChatRequest(model),
    },
    response: {
      status: ok ? 200 : 500,
      body: ok
        ? openAiChatResponse(model, { prompt_tokens: 10 * (i + 1), completion_tokens: 5, total_tokens: 10 * (i + 1) + 5 })
        : { error: { message: 'The upstream model is overloaded', type: 'server_error' } },
      response_time: 1000 - i * 20,
    },
    metadata: { env: i % 2 ? 'dev' : 'prod', cost: ok ? (i % 5) * 0.1 : 0 },
  });
}

/** An Anthropic call with a system prompt, an image, a tool call and its result. */
function toolConversation(now: number) {
  return chatLog({
    created_at: new Date(now - 2 * 60_000).toISOString(),
    request: {
      url: 'https://api.anthropic.com/v1/messages',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-secret', 'anthropic-version': '2023-06-01' },
      body: {
        model: 'claude-3-5-sonnet-20241022',
        system: 'You are a weather assistant.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the weather in Lyon? Here is a photo.' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Lyon' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'Sunny, 24 °C' }] },
        ],
      },
    },
    response: {
      status: 200,
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-3-5-sonnet-20241022',
        content: [{ type: 'text', text: 'It is sunny in Lyon, 24 °C.' }],
        usage: { input_tokens: 40, output_tokens: 12 },
      },
      response_time: 700,
    },
    metadata: { env: 'prod', 'user.id': 'u-9', trace_id: TRACE_ID, span_id: 'sp-llm', parent_span_id: 'sp-root', span_name: 'weather-llm' },
  });
}

function agentRoot(now: number) {
  return chatLog({
    created_at: new Date(now - 2 * 60_000 - 500).toISOString(),
    response: { status: 200, body: openAiChatResponse('gpt-4o'), response_time: 2000 },
    metadata: { trace_id: TRACE_ID, span_id: 'sp-root', span_name: 'weather-agent', env: 'prod' },
  });
}

describe('web app views in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let toolLogId = '';
  const now = Date.now();

  const summary = () => page.locator('.summary').first().textContent();
  const apply = () => page.getByRole('button', { name: 'Apply filters' }).click();
  const watch = (p: Page) => {
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource|ERR_ABORTED|aborted/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  };
  async function signIn(p: Page, remember = false): Promise<void> {
    await p.getByRole('heading', { name: 'Sign in to Logport' }).waitFor();
    await p.getByLabel('API key').fill(ROOT_KEY);
    await p.getByLabel('Workspace').fill(WS);
    if (remember) await p.getByLabel(/Stay signed in/).check();
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    // Pages wait on the database; on a busy machine a second is not enough.
    vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
    ensureWebBuild();
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    await seedLogs(
      s,
      Array.from({ length: 30 }, (_, i) => plain(i, now)),
      { workspace: WS },
    );
    toolLogId = (await seedLogs(s, [toolConversation(now), agentRoot(now)], { workspace: WS }))[0]!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('keeps the view in the URL: reload restores filters, order and selection; back/forward walk the views', async () => {
    await page.goto(`${s.url}/#/logs`);
    await signIn(page);
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await expect.poll(summary).toBe('Showing 25 of 32 logs');

    // Prefix, any case: GPT-4O finds gpt-4o and gpt-4o-mini.
    await page.getByLabel('Model', { exact: true }).fill('GPT-4O');
    await apply();
    await expect.poll(summary).toBe('Showing 21 of 21 logs');
    expect(new Set(await page.locator('td[data-col="model"]').allTextContents())).toEqual(new Set(['gpt-4o', 'gpt-4o-mini']));
    expect(page.url()).toContain('model=GPT-4O');

    // Sort by cost, highest first: a header button with aria-sort.
    await page.getByRole('button', { name: 'Cost' }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Cost' }).getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => page.url()).toContain('sort=COST%3Adesc');
    const costs = async () => (await page.locator('td[data-col="cost"]').allTextContents()).map((t) => Number(t.replace(/[^0-9.]/g, '')));
    await expect
      .poll(async () => {
        const c = await costs();
        return c.length > 0 && c.every((v, i) => i === 0 || v <= c[i - 1]!);
      })
      .toBe(true);

    // Select a log, then reload: the same filter, order and open log.
    await page.locator('.logs-table tbody tr').first().getByRole('button').first().click();
    const panel = page.getByRole('complementary', { name: 'Log details' });
    await panel.getByRole('heading', { level: 2 }).waitFor();
    const selected = await page.locator('.logs-table tbody tr.selected').getAttribute('data-log-id');
    expect(page.url()).toContain(`log=${selected}`);
    await page.reload();
    await expect.poll(summary).toBe('Showing 21 of 21 logs');
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('GPT-4O');
    expect(await page.getByRole('columnheader', { name: 'Cost' }).getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => panel.locator('article').getAttribute('data-log-id')).toBe(selected);

    // Back: the log closes; back again: newest first; forward: sorted by cost again.
    await page.goBack();
    await expect.poll(() => panel.isHidden()).toBe(true);
    await page.goBack();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Cost' }).getAttribute('aria-sort')).toBe('none');
    await page.goBack();
    await expect.poll(summary).toBe('Showing 25 of 32 logs');
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('');
    await page.goForward();
    await expect.poll(summary).toBe('Showing 21 of 21 logs');
  });

  it('a shared link opened in a new tab asks for the key, then shows that exact view', async () => {
    const shared = `${s.url}/#/logs?model=claude&success=true&log=${toolLogId}`;
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const tab = await other.newPage();
    watch(tab);
    await tab.goto(shared);
    await signIn(tab, true);
    await tab.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await expect.poll(() => tab.locator('.summary').textContent()).toBe('Showing 10 of 10 logs');
    expect(await tab.getByLabel('Model', { exact: true }).inputValue()).toBe('claude');
    await tab.getByRole('complementary', { name: 'Log details' }).getByRole('heading', { name: 'weather-llm' }).waitFor();
    // "Stay signed in": another tab of this browser opens the link without the key.
    const second = await other.newPage();
    await second.goto(`${s.url}/#/traces`);
    await second.getByRole('heading', { name: 'Traces', level: 1 }).waitFor();
    await other.close();
  });

  it('shows progress while loading and can cancel a slow query, keeping the previous rows', async () => {
    await page.goto(`${s.url}/#/logs`);
    await expect.poll(summary).toBe('Showing 25 of 32 logs');
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('query Logs')) await new Promise((r) => setTimeout(r, 3000));
      await route.continue().catch(() => undefined);
    });
    await page.getByLabel('Success').selectOption('false');
    await apply();
    const status = page.getByRole('status').filter({ hasText: 'Loading logs…' });
    await status.waitFor();
    expect(await page.locator('.logs-table').getAttribute('aria-busy')).toBe('true');
    await status.getByRole('button', { name: 'Cancel' }).click();
    await status.waitFor({ state: 'hidden' });
    await expect.poll(summary).toContain('loading cancelled');
    expect(await page.locator('.logs-table tbody tr').count()).toBe(25);
    await page.unroute('**/graphql');
  });

  it('chooses columns (kept per browser), shows span names, and copies full trace ids', async () => {
    await page.goto(`${s.url}/#/logs?trace=${TRACE_ID}`);
    await expect.poll(summary).toBe('Showing 2 of 2 logs');
    expect(await page.locator('td[data-col="span"]').allTextContents()).toEqual(['weather-llm', 'weather-agent']);
    const link = page.locator('td[data-col="trace"] a').first();
    expect(await link.getAttribute('title')).toBe(TRACE_ID);
    await page
      .getByRole('button', { name: `Copy trace ID ${TRACE_ID}` })
      .first()
      .click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(TRACE_ID);

    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Provider column' }).uncheck();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Provider' }).count()).toBe(0);
    await page.reload();
    await expect.poll(summary).toBe('Showing 2 of 2 logs');
    expect(await page.getByRole('columnheader', { name: 'Provider' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Model' }).count()).toBe(1);
  });

  it('renders a chat as a conversation with tool calls, images and a raw JSON toggle; copies cURL without credentials; Escape closes', async () => {
    await page.goto(`${s.url}/#/logs?log=${toolLogId}`);
    const panel = page.getByRole('complementary', { name: 'Log details' });
    const convo = panel.getByRole('list', { name: 'Conversation' });
    await convo.waitFor();
    const items = await convo.getByRole('listitem').allTextContents();
    expect(items[0]).toMatch(/^System.*You are a weather assistant\./);
    expect(items[1]).toMatch(/^User.*What is the weather in Lyon\?.*\[Image \(image\/png\)\]/);
    expect(items[2]).toMatch(/^Assistant.*Tool call: get_weather.*"city": "Lyon"/s);
    expect(items[3]).toMatch(/Tool result.*Sunny, 24 °C/);
    expect(items[4]).toMatch(/^Assistant · response.*It is sunny in Lyon/);

    await panel.getByRole('button', { name: 'Copy cURL' }).click();
    const curl = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(curl).toContain("curl -X POST 'https://api.anthropic.com/v1/messages'");
    expect(curl).toContain("-H 'anthropic-version: 2023-06-01'");
    expect(curl).toContain('--data-raw');
    expect(curl.toLowerCase()).not.toContain('x-api-key');
    expect(curl).not.toContain('sk-ant');
    await panel.getByRole('button', { name: 'Copy JSON' }).click();
    expect(JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()')).id).toBe(toolLogId);

    await panel.getByRole('button', { name: 'Raw JSON' }).click();
    expect(await panel.getByRole('region', { name: 'Request', exact: true }).locator('pre').textContent()).toContain('"tool_use_id": "toolu_01"');
    await panel.getByRole('button', { name: 'Conversation' }).click();
    await convo.waitFor();

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(page.url()).not.toContain('log=');
  });

  it('puts the error first for a failed call', async () => {
    await page.goto(`${s.url}/#/logs?success=false`);
    await expect.poll(summary).toBe('Showing 4 of 4 logs');
    await page.locator('.logs-table tbody tr').first().getByRole('button').first().click();
    const note = page.getByRole('note', { name: 'Error' });
    await note.waitFor();
    expect(await note.textContent()).toBe('Failed with status 500: The upstream model is overloaded');
    const article = page.locator('.log-detail');
    const order = await article.evaluate((a) => [...a.children].map((c) => c.className || c.tagName));
    expect(order.indexOf('error-summary')).toBeLessThan(order.indexOf('facts'));
  });

  it('lists recent traces with their sums and opens one', async () => {
    await page.goto(`${s.url}/#/traces`);
    const row = page.locator(`tr[data-trace-id="${TRACE_ID}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('weather-agent');
    expect(cells.slice(2)).toEqual([expect.stringMatching(/s$/), '2', expect.any(String), expect.stringMatching(/^\$/), '0']);
    await row.getByRole('link', { name: 'weather-agent' }).click();
    await page.getByRole('heading', { name: `Trace ${TRACE_ID}` }).waitFor();
    await page.goBack();
    await row.waitFor();
  });

  it('suggests known values as you type and searches bodies within a time range', async () => {
    await page.goto(`${s.url}/#/logs`);
    await expect.poll(summary).toBe('Showing 25 of 32 logs');
    await page.getByLabel('Model', { exact: true }).fill('cla');
    await expect
      .poll(() => page.locator('datalist option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)))
      .toContain('claude-3-5-sonnet-20241022');
    await page.getByLabel('Model', { exact: true }).fill('');

    await page.getByLabel('Search in bodies').fill('weather in lyon');
    await apply();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Choose a time range' }).count()).toBe(1);
    await page.getByLabel('Period').selectOption('24h');
    await apply();
    await expect.poll(summary).toBe('1 log with “weather in lyon” in the request or response: searched all 32 logs of the range.');
    expect(await page.locator('.logs-table tbody tr').getAttribute('data-log-id')).toBe(toolLogId);
  });

  it('live mode adds logs as they are stored', async () => {
    await page.goto(`${s.url}/#/logs`);
    await expect.poll(summary).toBe('Showing 25 of 32 logs');
    const live = page.getByRole('button', { name: /^Live/ });
    await live.click();
    expect(await live.getAttribute('aria-pressed')).toBe('true');
    await new Promise((r) => setTimeout(r, 1500));
    const [id] = await seedLogs(s, [chatLog({ created_at: new Date().toISOString(), metadata: { span_name: 'arrived-live' } })], { workspace: WS });
    const fresh = page.locator(`tr[data-log-id="${id}"]`);
    await fresh.waitFor({ timeout: 15_000 });
    expect(await fresh.getAttribute('class')).toContain('row-new');
    expect(await page.locator('.logs-table tbody tr').first().getAttribute('data-log-id')).toBe(id);
    await live.click();
    expect(await live.getAttribute('aria-pressed')).toBe('false');
  });

  it('exports this view: the form has the filters, the list shows them and the fields, drafts can be edited', async () => {
    await page.goto(`${s.url}/#/logs?model=claude&success=true`);
    await expect.poll(summary).toBe('Showing 10 of 10 logs');
    await page.getByRole('link', { name: 'Export this view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Request Data' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Model', { exact: true }).inputValue()).toBe('claude');
    expect(await dialog.getByLabel('Success', { exact: true }).inputValue()).toBe('true');
    await dialog.getByRole('button', { name: 'Request Export' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('tr[data-export-id]').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('DRAFT');
    expect(await page.locator('.notice-area').textContent()).toContain('10 matching logs');
    expect(await row.textContent()).toContain('model claude · successful');
    // The requested fields are listed, not only on hover.
    await row.locator('summary', { hasText: '13 fields' }).click();
    expect(await row.locator('.field-list p').textContent()).toContain('id, trace_id, created_at');

    await row.getByRole('button', { name: 'Edit Logs view' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit export' });
    await edit.waitFor();
    expect(await edit.getByLabel('Model', { exact: true }).inputValue()).toBe('claude');
    await edit.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('model gpt-4o-mini · successful');
    expect(await page.locator('.notice-area').textContent()).toContain('Export draft saved: 9 matching logs');

    // Delete the draft, after confirming.
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete Logs view' }).click();
    await expect.poll(() => page.locator('.notice-area').textContent()).toContain('Export “Logs view” deleted.');
    expect(await page.locator('tr[data-export-id]').count()).toBe(0);
  });

  it('follows a dark system theme', async () => {
    const colors = () =>
      page.evaluate<[string, string]>(
        '[getComputedStyle(document.documentElement).getPropertyValue("--bg").trim(), getComputedStyle(document.documentElement).backgroundColor]',
      );
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await colors();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colors();
    expect([light, dark]).toEqual([
      ['#f6f7f9', 'rgb(246, 247, 249)'],
      ['#0d1117', 'rgb(13, 17, 23)'],
    ]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('works on a phone: collapsible navigation, no sideways scrolling, the log as a full-screen sheet', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    watch(p);
    await p.goto(`${s.url}/#/logs`);
    await signIn(p);
    await p.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await expect.poll(() => p.locator('.summary').textContent()).toMatch(/^Showing 25 of \d+ logs$/);
    const nav = p.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    const menu = p.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Traces' }).click();
    await p.getByRole('heading', { name: 'Traces', level: 1 }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    for (const path of ['#/traces', '#/exports', '#/logs']) {
      await p.goto(`${s.url}/${path}`);
      await p.locator('h1').waitFor();
      await p.waitForTimeout(300);
      expect([path, await p.evaluate<number>('document.documentElement.scrollWidth')]).toEqual([path, 390]);
    }
    await expect.poll(() => p.locator('.summary').textContent()).toMatch(/^Showing 25 of \d+ logs$/);
    await p.locator('.logs-table tbody tr').first().getByRole('button').first().click();
    const panel = p.getByRole('complementary', { name: 'Log details' });
    await panel.getByRole('heading', { level: 2 }).waitFor();
    const box = await panel.boundingBox();
    expect([box?.x, box?.y, box?.width, box?.height]).toEqual([0, 0, 390, 844]);
    await panel.getByRole('button', { name: 'Close log details' }).click();
    await panel.waitFor({ state: 'hidden' });
    await phone.close();
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
