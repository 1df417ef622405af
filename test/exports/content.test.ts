import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExport,
  downloadExport,
  exportCall,
  exportRows,
  fileText,
  parseCsv,
  parseJsonl,
  seedLogs,
  startExport,
  waitForStatus,
} from '../helpers/exports.js';
import { minutesAfter, type Spec, specLog, TEN_LOGS } from '../helpers/log-scenario.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatResponse } from '../logs/fixtures.js';

const WS = 'ws-content';
const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const at = minutesAfter(T0);

/**
 * Seven logs, one per ten minutes, so newest-first order is g, f, e, ... a: the shared ten-log scenario without
 * its three logs of one instant (its j becomes g, at minute 60).
 */
const SPECS: Record<string, Spec> = {
  ...Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => [n, TEN_LOGS[n]!])),
  g: { ...TEN_LOGS.j!, at: 60 },
};

const toLog = (s: Spec) => specLog(s, at);

/** Every field named in both seeds, current names and the older generation's aliases. */
const ALL_FIELDS = [
  'id',
  'trace_id',
  'created_at',
  'request',
  'response',
  'ai_provider',
  'ai_org',
  'ai_model',
  'request_tokens',
  'req_units',
  'response_tokens',
  'res_units',
  'total_tokens',
  'total_units',
  'cost',
  'cost_currency',
  'response_time',
  'status_code',
  'response_status_code',
  'is_success',
  'request_url',
  'request_method',
  'cache_status',
  'cache_type',
  'stream_mode',
  'retry_success_count',
  'mode',
  'virtual_key',
  'runtime',
  'runtime_version',
  'sdk_version',
  'config',
  'prompt_slug',
  'prompt_version_id',
  'metadata',
  'span_id',
  'parent_span_id',
  'span_name',
  'request.body',
  'response.body',
];
const ALIASES: [string, string][] = [
  ['ai_provider', 'ai_org'],
  ['request_tokens', 'req_units'],
  ['response_tokens', 'res_units'],
  ['total_tokens', 'total_units'],
  ['status_code', 'response_status_code'],
  ['request', 'request.body'],
  ['response', 'response.body'],
];

const FULL_META = {
  trace_id: 'tr-full',
  span_id: 'sp-2',
  parent_span_id: 'sp-1',
  span_name: 'chat',
  prompt_slug: 'pp-welcome',
  prompt_version_id: '3',
  config: 'pc-main',
  virtual_key: 'vk-openai',
  cache_status: 'MISS',
  cache_type: 'SIMPLE',
  stream_mode: 'false',
  mode: 'FALLBACK',
  runtime: 'node',
  runtime_version: '20.19.0',
  sdk_version: '3.1.0',
  retry_success_count: 2,
  cost: 0.75,
  cost_currency: 'usd',
  _user: 'u-1',
  'team.name': 'search',
  $tier: 'gold',
};
const trickyRequest = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Say "hi", then\na newline, a comma, and ünïcödé 🎉' }],
  response_format: { type: 'json_schema', json_schema: { schema: { $defs: { a: { type: 'string' } }, 'a.b': 1 } } },
};

describe('log exports: fields, filters, limits and formats', () => {
  let s: TestServer;
  const idOf = new Map<string, string>();
  let fullId: string;
  let failedId: string;
  const ids = (names: string) => [...names].sort((x, y) => SPECS[y]!.at - SPECS[x]!.at).map((n) => idOf.get(n)!);
  const inWs = (body: Record<string, unknown>) => ({ workspace_id: WS, ...body });

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    const names = Object.keys(SPECS);
    const got = await seedLogs(
      s,
      names.map((n) => toLog(SPECS[n]!)),
      { workspace: WS },
    );
    names.forEach((n, i) => idOf.set(n, got[i]!));
    // The same log as `a` in another workspace: never exported from WS.
    await seedLogs(s, [toLog(SPECS.a!)], { workspace: 'ws-content-other' });
    const full = chatLog({
      created_at: at(-100),
      request: { url: 'https://api.openai.com/v1/chat/completions', method: 'post', body: trickyRequest },
      metadata: FULL_META,
    });
    const failed = chatLog({
      created_at: at(-200),
      response: { status: 503, body: { error: { message: 'overloaded' } } },
      metadata: { trace_id: 'tr-failed' },
    });
    [fullId, failedId] = (await seedLogs(s, [full, failed], { workspace: 'ws-fields' })) as [string, string];
  });
  afterAll(() => s.stop());

  it("every field, by either generation of names, holds the log's values; aliases equal their current names", async () => {
    const { rows } = await exportRows(s, { workspace_id: 'ws-fields', filters: { trace_id: 'tr-full' }, requested_data: ALL_FIELDS });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(Object.keys(row)).toEqual(ALL_FIELDS);
    const response = openAiChatResponse();
    expect(row).toEqual({
      id: fullId,
      trace_id: 'tr-full',
      created_at: at(-100),
      request: trickyRequest,
      response,
      ai_provider: 'openai',
      ai_org: 'openai',
      ai_model: 'gpt-4o',
      request_tokens: 1000,
      req_units: 1000,
      response_tokens: 500,
      res_units: 500,
      total_tokens: 1500,
      total_units: 1500,
      cost: 0.75,
      cost_currency: 'USD',
      response_time: 842,
      status_code: 200,
      response_status_code: 200,
      is_success: true,
      request_url: 'https://api.openai.com/v1/chat/completions',
      request_method: 'POST',
      cache_status: 'MISS',
      cache_type: 'SIMPLE',
      stream_mode: false,
      retry_success_count: 2,
      mode: 'FALLBACK',
      virtual_key: 'vk-openai',
      runtime: 'node',
      runtime_version: '20.19.0',
      sdk_version: '3.1.0',
      config: 'pc-main',
      prompt_slug: 'pp-welcome',
      prompt_version_id: '3',
      metadata: Object.fromEntries(Object.entries(FULL_META).map(([k, v]) => [k, String(v)])),
      span_id: 'sp-2',
      parent_span_id: 'sp-1',
      span_name: 'chat',
      'request.body': trickyRequest,
      'response.body': response,
    });
    for (const [current, older] of ALIASES) expect(row[older], older).toEqual(row[current]);
  });

  it('a failed request exports nulls for what it lacks, every key still present; metadata is an object', async () => {
    const { rows } = await exportRows(s, { workspace_id: 'ws-fields', filters: { trace_id: 'tr-failed' }, requested_data: ALL_FIELDS });
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0])).toEqual(ALL_FIELDS);
    expect(rows[0]).toMatchObject({
      id: failedId,
      status_code: 503,
      response_status_code: 503,
      is_success: false,
      req_units: null,
      request_tokens: null,
      total_units: null,
      cost: null,
      prompt_slug: null,
      span_id: null,
      metadata: { trace_id: 'tr-failed' },
      response: { error: { message: 'overloaded' } },
    });
  });

  it('each GenerationsFilter key narrows the export: total and the exported ids', { timeout: 60_000 }, async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ time_of_generation_min: at(20), time_of_generation_max: at(50) }, 'cdef'],
      [{ time_of_generation_min: at(45) }, 'fg'],
      [{ created_at: { gte: at(40) } }, 'efg'],
      [{ total_units_min: 600, total_units_max: 1500 }, 'af'],
      [{ total_units_max: 300 }, 'b'],
      [{ cost_min: 0.5, cost_max: 1 }, 'af'],
      [{ cost_min: 2 }, 'c'],
      [{ ai_model: 'gpt-4o' }, 'adf'],
      [{ ai_model: 'gpt-4o, claude-3-haiku' }, 'adef'],
      [{ prompt_token_min: 500 }, 'acf'],
      [{ prompt_token_max: 200 }, 'b'],
      [{ completion_token_min: 500, completion_token_max: 600 }, 'af'],
      [{ completion_token_max: 100 }, 'b'],
      [{ status_code: '429,500' }, 'de'],
      [{ status_code: '200' }, 'abcf'],
      [{ metadata: { env: 'prod' } }, 'abdg'],
      [{ metadata: { env: 'prod', 'user.id': 'u-7' } }, 'g'],
      [{ ai_org_model: 'openai__gpt-4o, anthropic__claude-3-5-sonnet' }, 'acd'],
      [{ trace_id: 'tr-1' }, 'ab'],
      [{ configs: 'cfg-1' }, 'af'],
      [{ prompt_slug: 'greet,summarise' }, 'acf'],
      [{ prompt_slug: 'greet' }, 'af'],
      [{ virtual_keys: 'vk-openai' }, 'ad'],
      [{ span_id: 'sp-2' }, 'b'],
      [{ ai_model: 'gpt-4o', status_code: '200' }, 'af'],
      [{ ai_model: 'no-such-model' }, ''],
      [{}, 'abcdefg'],
    ];
    // One at a time: concurrent runs are covered by robustness.test.ts.
    for (const [filters, names] of cases) {
      const r = await exportRows(s, inWs({ filters, requested_data: ['id'] }));
      expect(r.total, JSON.stringify(filters)).toBe(names.length);
      expect(
        r.rows.map((x) => x.id),
        JSON.stringify(filters),
      ).toEqual(ids(names));
    }
  });

  it('page_size and current_page bound the rows (limit and offset over newest first)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ page_size: 3 }, 'gfe'],
      [{ page_size: 3, current_page: 0 }, 'gfe'],
      [{ page_size: 3, current_page: 1 }, 'dcb'],
      [{ page_size: 3, current_page: 2 }, 'a'],
      [{ page_size: 3, current_page: 5 }, ''],
      [{ page_size: 2, ai_model: 'gpt-4o' }, 'fd'],
      [{ page_size: 100 }, 'gfedcba'],
    ];
    for (const [filters, names] of cases) {
      const r = await exportRows(s, inWs({ filters, requested_data: ['id'] }));
      expect(r.total, JSON.stringify(filters)).toBe(names.length);
      expect(
        r.rows.map((x) => x.id),
        JSON.stringify(filters),
      ).toEqual([...names].map((n) => idOf.get(n)));
    }
  });

  it('no cap: without page_size every matching row is exported', async () => {
    const logs = Array.from({ length: 1200 }, (_, i) => chatLog({ created_at: new Date(T0 - i * 1000).toISOString(), metadata: { n: i } }));
    const seeded = await seedLogs(s, logs, { workspace: 'ws-bulk' });
    const r = await exportRows(s, { workspace_id: 'ws-bulk', filters: {}, requested_data: ['id', 'metadata'] });
    expect(r.total).toBe(1200);
    expect(r.rows).toHaveLength(1200);
    expect(r.rows.map((x) => x.id)).toEqual(seeded);
    expect(r.rows.map((x) => Number(x.metadata.n))).toEqual(logs.map((_, i) => i));
  }, 60_000);

  it('CSV: a header line, RFC 4180 quoting, CRLF lines; parsed back it equals the JSONL values', async () => {
    const fields = ['id', 'created_at', 'ai_model', 'request', 'metadata', 'cost', 'is_success', 'prompt_slug', 'req_units'];
    const body = { workspace_id: 'ws-fields', filters: {}, requested_data: fields };
    const { id, total } = await createExport(s, { ...body, format: 'csv' });
    await startExport(s, id);
    expect((await waitForStatus(s, id, ['success', 'failed'])).status).toBe('success');
    const { file } = await downloadExport(s, id);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toMatch(/\.csv"?$/);
    const text = fileText(file.bytes);
    expect(text.split('\r\n')[0]).toBe(fields.join(','));
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(fields);
    expect(rows).toHaveLength(total);
    const { rows: json } = await exportRows(s, body);
    const cell = (v: unknown) => (v === null ? '' : typeof v === 'object' ? v : String(v));
    const back = rows.map((r) => r.map((c, i) => (['request', 'metadata'].includes(fields[i]!) && c !== '' ? JSON.parse(c) : c)));
    expect(back).toEqual(json.map((r) => fields.map((f) => cell(r[f]))));
    expect(back[0]![3]).toEqual(trickyRequest); // quotes, commas, a newline and emoji survive quoting
  });

  it('gzip: JSONL and CSV files are gzip (application/gzip, .gz name) and gunzip to the plain export', async () => {
    const body = inWs({ filters: { ai_model: 'gpt-4o' }, requested_data: ['id', 'request', 'metadata', 'cost'] });
    const plain = await exportRows(s, body);
    const { id } = await createExport(s, { ...body, compression: 'gzip' });
    expect((await exportCall(s, 'GET', `/${id}`)).body).toMatchObject({ format: 'jsonl', compression: 'gzip' });
    await startExport(s, id);
    expect((await waitForStatus(s, id, ['success', 'failed'])).status).toBe('success');
    const gz = (await downloadExport(s, id)).file;
    expect([gz.bytes[0], gz.bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.headers.get('content-type') === 'application/gzip' || /\.gz"?$/.test(gz.headers.get('content-disposition') ?? '')).toBe(true);
    expect(gz.headers.get('content-disposition')).toMatch(/\.jsonl\.gz"?$/);
    expect(Number(gz.headers.get('content-length'))).toBe(gz.bytes.length);
    expect(parseJsonl(fileText(gz.bytes))).toEqual(plain.rows);

    // CSV + gzip, chosen by PUT on the draft.
    const csv = await createExport(s, body);
    expect((await exportCall(s, 'PUT', `/${csv.id}`, { body: { format: 'csv', compression: 'gzip' } })).status).toBe(200);
    await startExport(s, csv.id);
    expect((await waitForStatus(s, csv.id, ['success', 'failed'])).status).toBe('success');
    const file = (await downloadExport(s, csv.id)).file;
    expect(file.headers.get('content-disposition')).toMatch(/\.csv\.gz"?$/);
    expect([file.bytes[0], file.bytes[1]]).toEqual([0x1f, 0x8b]);
    const [header, ...rows] = parseCsv(fileText(file.bytes));
    expect(header).toEqual(['id', 'request', 'metadata', 'cost']);
    expect(rows.map((r) => [r[0], JSON.parse(r[1]!), JSON.parse(r[2]!), Number(r[3])])).toEqual(plain.rows.map((r) => [r.id, r.request, r.metadata, r.cost]));

    for (const bad of [{ format: 'xml' }, { compression: 'zip' }]) {
      expect((await exportCall(s, 'POST', '', { body: { ...body, ...bad } })).status).toBe(400);
    }
  });
});
